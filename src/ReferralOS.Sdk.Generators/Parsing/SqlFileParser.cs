using System.Text;
using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Turns one .sql file into a <see cref="ParsedFile"/>: file name, header, Up and Down sections (migrations), rows
/// (seeds), what it does to the database, and its checksum. Facts only: what is wrong with the file is for the rules
/// to decide. Never throws.
/// </summary>
internal static class SqlFileParser
{
    private static readonly Regex UpMarker = new(@"^--[ \t]*Up[ \t]+Migration\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly char[] Blanks = { ' ', '\t' };
    private static readonly Regex DownMarker = new(@"^--[ \t]*Down[ \t]+Migration\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static ParsedFile Parse(SqlInput input)
    {
        var source = new SqlSource(input.Path, input.Text);
        var fileName = SqlFileName.FromPath(input.Path);
        var fileLocation = source.LocateLine(0);
        var header = FileHeader.Read(source);
        if (input.Unreadable)
        {
            return new ParsedFile(input, source, header, Unparsed(input, fileName, fileLocation));
        }

        // A name off the grammar leaves number -1 (no catalog holds the file), which the naming rule reports.
        _ = SqlFileName.TryParse(fileName, out var number, out var name);
        var model = new SqlFileModel(
            input.Path,
            input.RelativePath,
            input.Kind,
            fileName,
            number,
            name,
            SqlFileName.Stem(fileName),
            Description: header.Find("Description")?.Value ?? string.Empty,
            Created: header.Find("Created") is { } created ? CreatedTime.Read(created.Value, source.Locate(created.ValueStart, created.ValueEnd)) : null,
            NonTransactional: false,
            LockTimeoutMilliseconds: null,
            StatementTimeoutMilliseconds: null,
            Environments: EquatableArray<string>.Empty,
            Checksum: SqlFileChecksum.Compute(input.Text),
            Up: ScriptModel.Empty,
            Down: null,
            DatabaseSteps: EquatableArray<DatabaseStep>.Empty,
            SeedRows: EquatableArray<SeedRowModel>.Empty,
            fileLocation);

        return input.Kind == SqlFileKind.Migration
            ? ParseMigration(input, source, header, model)
            : ParseSeed(input, source, header, model);
    }

    private static ParsedFile ParseMigration(SqlInput input, SqlSource source, FileHeader header, SqlFileModel model)
    {
        int? upLine = null;
        int? downLine = null;
        for (var line = header.EndLine; line < source.Lines.LineCount; line++)
        {
            var text = source.LineText(line).Trim();
            if (upLine is null && downLine is null && UpMarker.IsMatch(text))
            {
                upLine = line;
            }
            else if (downLine is null && DownMarker.IsMatch(text))
            {
                downLine = line;
            }
        }

        var upStart = source.Lines.LineStart(upLine is { } up ? up + 1 : header.EndLine);
        var upEnd = downLine is { } down ? source.Lines.LineStart(down) : source.Text.Length;
        var upText = source.Text.Substring(upStart, Math.Max(0, upEnd - upStart));
        var upTokens = SqlLexer.Tokenize(upText);
        var upStatements = SqlStatementSplitter.Split(upText, upTokens);
        var upSection = new ScriptSection("Up section", upText, upTokens, upStatements, (start, end) => source.Locate(upStart + start, upStart + end));
        var upFirstLine = source.Lines.Position(upStart).Line;
        var nonTransactional = header.Find("Transaction") is { } transaction && string.Equals(transaction.Value, "none", StringComparison.OrdinalIgnoreCase);
        var script = new ParsedScript(source, upStart, upStatements);
        var (downSection, downScript) = downLine is { } marker ? ReadDownSection(source, marker) : (null, null);

        return new ParsedFile(input, source, header, model with
        {
            NonTransactional = nonTransactional,
            LockTimeoutMilliseconds = ReadTimeout(header, "Lock-Timeout"),
            StatementTimeoutMilliseconds = ReadTimeout(header, "Statement-Timeout"),
            Up = ScriptModel.Create(upText, upStatements, (line, column) => (upFirstLine + line, column)),
            Down = downScript,
            DatabaseSteps = DatabaseStepReader.Read(script).ToEquatableArray(),
            ConcurrentIndexes = nonTransactional ? ConcurrentIndexes(script) : EquatableArray<ConcurrentIndexModel>.Empty,
            ImportedFrom = ReadImportedFrom(header),
        })
        {
            UpMarkerLine = upLine,
            DownMarkerLine = downLine,
            Up = upSection,
            Down = downSection,
            Script = script,
            OptOuts = OptOutComment.Read(script),
        };
    }

    /// <summary>
    /// <c>-- Imported-From: &lt;tool&gt; &lt;version&gt;</c>: two words, as <c>referralos-db import</c> writes them (the version
    /// exactly as the tool records it, which baseline --from-history matches against the tool's history table); null
    /// when the header has no such line or its value is not two words.
    /// </summary>
    private static ImportedFromModel? ReadImportedFrom(FileHeader header)
    {
        var parts = header.Find("Imported-From")?.Value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: 2 } ? new ImportedFromModel(parts[0], parts[1]) : null;
    }

    /// <summary>
    /// The named indexes the file builds with CREATE INDEX CONCURRENTLY. An interrupted build leaves one INVALID and
    /// IF NOT EXISTS skips it, so the runtime looks for them before and after the file runs. (An unnamed one gets a
    /// name only the server knows; the docs ask for names in Transaction: none files.)
    /// </summary>
    private static EquatableArray<ConcurrentIndexModel> ConcurrentIndexes(ParsedScript script) =>
        script.Statements
            .OfType<CreateIndexStatement>()
            .Where(index => index.Concurrently && index.Name is not null)
            .Select(index =>
            {
                var s = index.Statement;
                var first = s.Tokens[index.Table.Range.First];
                var last = s.Tokens[index.Table.Range.Last];
                return new ConcurrentIndexModel("\"" + index.Name!.Replace("\"", "\"\"") + "\"", s.Source.Substring(first.Start, last.End - first.Start));
            })
            .ToEquatableArray();

    /// <summary>The milliseconds a timeout header line sets; null when there is no such line or its value is not a time setting.</summary>
    private static long? ReadTimeout(FileHeader header, string key) =>
        header.Find(key) is { } entry && TimeoutDirective.TryParse(entry.Value, out var milliseconds, out _) ? milliseconds : null;

    /// <summary>
    /// The Down section is commented SQL: each line loses its leading "--" and one space, keeps its line break as
    /// written, and statements keep the line and column they have in the file.
    /// </summary>
    private static (ScriptSection Section, ScriptModel Script) ReadDownSection(SqlSource source, int markerLine)
    {
        var text = new StringBuilder();
        var removed = new List<int>();
        for (var line = markerLine + 1; line < source.Lines.LineCount; line++)
        {
            var raw = source.LineText(line);
            var indent = raw.Length - raw.TrimStart().Length;
            var cut = 0;
            if (raw.Length >= indent + 2 && raw[indent] == '-' && raw[indent + 1] == '-')
            {
                cut = indent + 2 + (raw.Length > indent + 2 && raw[indent + 2] == ' ' ? 1 : 0);
            }

            removed.Add(cut);
            text.Append(raw.Substring(cut)).Append(source.LineBreak(line));
        }

        var downText = text.ToString();
        var tokens = SqlLexer.Tokenize(downText);
        var statements = SqlStatementSplitter.Split(downText, tokens);
        var lines = new LineMap(downText);
        int FileOffset(int offset)
        {
            var (line, column) = lines.Position(offset);
            return source.Lines.LineStart(markerLine + 1 + line) + column + (line < removed.Count ? removed[line] : 0);
        }

        var section = new ScriptSection("Down section", downText, tokens, statements, (start, end) => source.Locate(FileOffset(start), FileOffset(end)));
        var script = statements.Count == 0
            ? ScriptModel.Empty
            : ScriptModel.Create(downText, statements, (line, column) => (markerLine + 1 + line, column + (line < removed.Count ? removed[line] : 0)));
        return (section, script);
    }

    private static ParsedFile ParseSeed(SqlInput input, SqlSource source, FileHeader header, SqlFileModel model)
    {
        var bodyStart = source.Lines.LineStart(header.EndLine);
        var bodyText = source.Text.Substring(bodyStart);
        var tokens = SqlLexer.Tokenize(bodyText);
        var statements = SqlStatementSplitter.Split(bodyText, tokens);
        var section = new ScriptSection("seed", bodyText, tokens, statements, (start, end) => source.Locate(bodyStart + start, bodyStart + end));
        var firstLine = header.EndLine;
        var script = new ParsedScript(source, bodyStart, statements);
        var rows = new List<SeedRowModel>();
        foreach (var insert in script.Statements.OfType<InsertStatement>())
        {
            // The row's table by its key (a.items, or items in public), as the migrations' tables know it.
            for (var i = 0; i < insert.Rows.Count; i++)
            {
                var name = insert.RowName is not { } explicitName ? null
                    : insert.Rows.Count == 1 ? explicitName
                    : explicitName + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var location = source.Locate(bodyStart + insert.Statement.Start, bodyStart + insert.Statement.End);
                rows.Add(new SeedRowModel(insert.Table.Name, name, insert.Rows[i].ToEquatableArray(), location));
            }
        }

        var environments = header.Find("Environment")?.Value
            .Split(',')
            .Select(e => e.Trim().ToLowerInvariant())
            .Where(e => e.Length > 0)
            .ToEquatableArray() ?? EquatableArray<string>.Empty;

        return new ParsedFile(input, source, header, model with
        {
            Up = ScriptModel.Create(bodyText, statements, (line, column) => (firstLine + line, column)),
            SeedRows = rows.ToEquatableArray(),
            Environments = environments,
            DatabaseSteps = DatabaseStepReader.Read(script).ToEquatableArray(),
        })
        {
            Up = section,
            Script = script,
            OptOuts = OptOutComment.Read(script),
        };
    }

    /// <summary>A file the compiler had no text for: only its name, and no number, so no catalog holds it.</summary>
    private static SqlFileModel Unparsed(SqlInput input, string fileName, LocationInfo fileLocation) => new(
        input.Path,
        input.RelativePath,
        input.Kind,
        fileName,
        Number: -1,
        Name: string.Empty,
        SqlFileName.Stem(fileName),
        Description: string.Empty,
        Created: null,
        NonTransactional: false,
        LockTimeoutMilliseconds: null,
        StatementTimeoutMilliseconds: null,
        Environments: EquatableArray<string>.Empty,
        Checksum: string.Empty,
        Up: ScriptModel.Empty,
        Down: null,
        DatabaseSteps: EquatableArray<DatabaseStep>.Empty,
        SeedRows: EquatableArray<SeedRowModel>.Empty,
        fileLocation);
}
