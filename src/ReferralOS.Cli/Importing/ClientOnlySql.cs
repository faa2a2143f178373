using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Cli.Importing;

/// <summary>
/// What a file may hold that only a client such as psql understands, and the runtime cannot run: backslash
/// meta-commands (<c>\set</c>, <c>\i</c>, <c>\connect</c>) and <c>COPY … FROM stdin</c>, whose rows follow the
/// statement in the file for the client to send. Read with the build's own lexer, so a backslash inside a string,
/// a dollar-quoted body or a comment is not one.
/// </summary>
internal static class ClientOnlySql
{
    public static IEnumerable<ImportProblem> Find(SourceSql sql)
    {
        var text = sql.Text;
        var tokens = SqlLexer.Tokenize(text);
        foreach (var statement in SqlStatementSplitter.Split(text, tokens))
        {
            if (statement.IsWord(0, "COPY") && Enumerable.Range(1, Math.Max(0, statement.Tokens.Count - 2)).Any(i => statement.IsWord(i, "FROM") && statement.IsWord(i + 1, "STDIN")))
            {
                yield return new ImportProblem(sql.Path, SourceLines.LineOf(text, statement.Start, sql.FirstLine), "COPY … FROM stdin reads its rows from the client, as psql sends the lines after it; the runtime sends statements only. Write the rows as INSERT … VALUES, or load them from a file on the server with COPY … FROM '<path>'");
                yield break;
            }
        }

        foreach (var token in tokens.Where(t => t.Kind == SqlTokenKind.MetaCommand))
        {
            var end = token.Start + 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            var command = text[token.Start..end];
            yield return new ImportProblem(sql.Path, SourceLines.LineOf(text, token.Start, sql.FirstLine), $"the psql meta-command {command}: the server does not know psql's backslash commands, and the runtime sends the SQL to the server as it is. Write what it does in SQL (a \\set variable as its value, an \\i file's statements in place, no \\connect)");
        }
    }
}
