using System.Globalization;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// What would not run as written (ROS0030–ROS0035): a comment, string, quoted name or dollar quote that is never
/// closed (PostgreSQL would read the rest of the script into it), psql meta-commands and COPY … FROM STDIN (only psql
/// can run them), NUL characters, bytes that were not valid UTF-8, and a file the compiler could not read at all.
/// Each is an error on its line, so malformed SQL fails the build instead of changing what is applied.
/// </summary>
internal static class UnrunnableSqlRules
{
    /// <summary>A file the compiler had no text for: the one diagnostic it gets.</summary>
    public static void CheckReadable(ParsedFile file, List<DiagnosticInfo> diagnostics)
    {
        if (file.Input.Unreadable)
        {
            var fileName = file.Model.FileName;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableFile, file.Model.FileLocation, fileName, WhyUnreadable(fileName)));
        }
    }

    /// <summary>Checks the whole file: NUL characters (one report a line) and the first undecodable character.</summary>
    public static void CheckFile(ParsedFile file, List<DiagnosticInfo> diagnostics)
    {
        var input = file.Input;
        var source = file.Source;
        if (input.UndecodableAt >= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUtf8, source.LocateInOriginal(input.UndecodableAt), SqlFileName.FromPath(source.Path), input.UndecodableDetail));
        }

        var lastLine = -1;
        for (var nul = source.Text.IndexOf('\0'); nul >= 0; nul = source.Text.IndexOf('\0', nul + 1))
        {
            var line = source.Lines.Position(nul).Line;
            if (line != lastLine)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NulCharacter, source.Locate(nul, nul + 1)));
                lastLine = line;
            }
        }
    }

    /// <summary>Checks one script (an Up or Down section, a seed body) from its tokens and statements.</summary>
    public static void CheckScript(ScriptSection script, List<DiagnosticInfo> diagnostics)
    {
        var text = script.Text;
        var tokens = script.Tokens;
        var statements = script.Statements;
        var section = script.Name;
        var locate = script.Locate;
        var lines = new LineMap(text);
        LocationInfo FirstLine(SqlToken token)
        {
            var (line, _) = lines.Position(token.Start);
            var lineEnd = line + 1 < lines.LineCount ? lines.LineStart(line + 1) : text.Length;
            while (lineEnd > token.Start && (text[lineEnd - 1] == '\n' || text[lineEnd - 1] == '\r'))
            {
                lineEnd--;
            }

            return locate(token.Start, Math.Max(token.Start + 1, Math.Min(token.End, lineEnd)));
        }

        foreach (var token in tokens)
        {
            if (token.Unterminated && Unclosed(text, token) is { } unclosed)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnterminatedToken, FirstLine(token), unclosed.What, section, unclosed.Closer));
            }
            else if (token.Kind == SqlTokenKind.MetaCommand)
            {
                var command = CommandName(token.Text(text));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PsqlMetaCommand, FirstLine(token), command, Advice(command)));
            }
        }

        var copyRows = tokens.Where(t => t.Kind == SqlTokenKind.CopyData).ToList();
        var nextRows = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            var stdin = CopyFromStdinEnd(statement);
            if (stdin < 0)
            {
                continue;
            }

            // The rows are the COPY data that follows the statement before the next statement starts.
            while (nextRows < copyRows.Count && copyRows[nextRows].Start < statement.End)
            {
                nextRows++;
            }

            var follows = nextRows < copyRows.Count && (i + 1 == statements.Count || copyRows[nextRows].Start < statements[i + 1].Start);
            var rows = follows ? copyRows[nextRows] : default;
            var count = follows ? RowLines(text, rows) : 0;
            var detail = !follows ? string.Empty
                : rows.Unterminated ? " (the " + Lines(count) + " after it, with no line '\\.' to end them)"
                : count == 0 ? " (no rows come before its line '\\.')"
                : " (the " + Lines(count) + " after it, up to the line '\\.')";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CopyFromStdin, locate(statement.Tokens[0].Start, statement.Tokens[stdin].End), detail));
        }
    }

    private static string WhyUnreadable(string fileName) => fileName.IndexOf('\uFFFD') >= 0
        ? "its name is not valid UTF-8 (shown with U+FFFD), so it cannot be opened by the name it is listed under; rename it to <number>_<name>.sql"
        : "the compiler could not open it, or found binary data in it; check that it exists, that the build may read it, and that it is text";

    private static (string What, string Closer)? Unclosed(string text, SqlToken token)
    {
        switch (token.Kind)
        {
            case SqlTokenKind.BlockComment:
                return ("block comment", "*/");
            case SqlTokenKind.String:
                return ("string constant", "'");
            case SqlTokenKind.QuotedIdentifier:
                return ("quoted identifier", "\"");
            case SqlTokenKind.DollarString:
                var body = token.Text(text);
                var tag = body.Substring(0, body.IndexOf('$', 1) + 1);
                return ("dollar-quoted string " + tag, tag);
            default:
                return null;
        }
    }

    /// <summary>The index of STDIN in a COPY … FROM STDIN statement, or -1 for any other statement.</summary>
    private static int CopyFromStdinEnd(SqlStatement statement)
    {
        if (!statement.IsWord(0, "COPY"))
        {
            return -1;
        }

        for (var i = 1; i + 1 < statement.Tokens.Count; i++)
        {
            if (statement.IsWord(i, "FROM") && statement.IsWord(i + 1, "STDIN"))
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>How many lines of rows a COPY data token holds, its closing line '\.' not counted.</summary>
    private static int RowLines(string text, SqlToken rows)
    {
        var count = new LineMap(rows.Text(text)).LineCount;
        count -= text[rows.End - 1] is '\n' or '\r' ? 1 : 0;
        return rows.Unterminated ? count : count - 1;
    }

    private static string Lines(int count) => count == 1 ? "line" : count.ToString(CultureInfo.InvariantCulture) + " lines";

    /// <summary>The command as written: the backslash and what follows it up to a space, e.g. <c>\set</c>.</summary>
    private static string CommandName(string token)
    {
        var end = 1;
        while (end < token.Length && !char.IsWhiteSpace(token[end]) && (end == 1 || token[end] != '\\'))
        {
            end++;
        }

        return token.Substring(0, end);
    }

    private static string Advice(string command) => command.Substring(1).ToLowerInvariant() switch
    {
        "set" or "unset" => "a migration has no psql variables, so write the value into the SQL itself, and a server setting as SET name = value;",
        "i" or "ir" or "include" or "include_relative" => "a migration cannot include another file, so copy that file's SQL into this migration or into a migration of its own",
        "c" or "connect" => "a migration runs on the database it is given, so remove the line and migrate each database on its own",
        "copy" => "\\copy reads a file on the client, so write the rows as INSERT … VALUES statements, or COPY FROM a file on the database server",
        "g" or "gx" or "gset" or "gexec" or "watch" => "end the statement with ';' instead, and write what psql would do with its result as SQL (a DO block for dynamic SQL)",
        "." => "it ends the rows of a COPY … FROM STDIN, and none comes before it, so remove it",
        "restrict" or "unrestrict" => "pg_dump writes it to guard a psql restore, and it means nothing to the server, so remove it",
        _ => "remove it, or write what it does as SQL",
    };
}
