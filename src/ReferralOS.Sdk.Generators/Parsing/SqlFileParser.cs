using System.Text;
using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;
using ReferralOS.Sdk.Generators.Validation;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Turns one .sql file into a <see cref="SqlFileModel"/>: file name, header, Up and Down sections (migrations),
/// rows (seeds), what it does to the schema, its checksum, and the diagnostics of every rule that needs this
/// file alone (header, unsafe operations, seed INSERTs). Never throws.
/// </summary>
internal static class SqlFileParser
{
    private static readonly Regex UpMarker = new(@"^--[ \t]*Up[ \t]+Migration\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly char[] Blanks = { ' ', '\t' };
    private static readonly Regex DownMarker = new(@"^--[ \t]*Down[ \t]+Migration\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static SqlFileModel Parse(SqlInput input, int postgresVersion)
    {
        var source = new SqlSource(input.Path, input.Text);
        var diagnostics = new List<DiagnosticInfo>();
        var fileName = SqlFileName.FromPath(input.Path);
        var fileLocation = source.LocateLine(0);
        if (input.Unreadable)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableFile, fileLocation, fileName, WhyUnreadable(fileName)));
            return Unparsed(input, fileName, fileLocation, diagnostics);
        }

        if (!SqlFileName.TryParse(fileName, out var number, out var name))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidFileName, fileLocation, fileName, KindName(input.Kind)));
        }

        UnrunnableSql.CheckFile(input, source, diagnostics);
        var header = FileHeader.Read(source);
        HeaderRules.Check(input.Kind, fileName, header, source, diagnostics);
        var model = new SqlFileModel(
            input.Path,
            input.RelativePath,
            input.Kind,
            fileName,
            number,
            name,
            SqlFileName.Stem(fileName),
            Description: header.Find("Description")?.Value ?? string.Empty,
            Created: header.Find("Created")?.Value,
            CreatedLocation: header.Find("Created") is { } created ? source.Locate(created.ValueStart, created.ValueEnd) : null,
            NonTransactional: false,
            LockTimeoutMilliseconds: null,
            StatementTimeoutMilliseconds: null,
            Environments: EquatableArray<string>.Empty,
            Checksum: SqlFileChecksum.Compute(input.Text),
            Up: ScriptModel.Empty,
            Down: null,
            SchemaSteps: EquatableArray<SchemaStep>.Empty,
            SeedRows: EquatableArray<SeedRowModel>.Empty,
            fileLocation,
            EquatableArray<DiagnosticInfo>.Empty);

        model = input.Kind == SqlFileKind.Migration
            ? ParseMigration(model, source, header, postgresVersion, diagnostics)
            : ParseSeed(model, source, header, diagnostics);
        return model with { Diagnostics = diagnostics.ToEquatableArray() };
    }

    private static SqlFileModel ParseMigration(SqlFileModel model, SqlSource source, FileHeader header, int postgresVersion, List<DiagnosticInfo> diagnostics)
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

        if (upLine is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingUpSection, model.FileLocation, model.FileName));
        }
        else if (downLine is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingDownSection, source.LocateLine(upLine.Value), model.FileName));
        }

        var upStart = source.Lines.LineStart(upLine is { } up ? up + 1 : header.EndLine);
        var upEnd = downLine is { } down ? source.Lines.LineStart(down) : source.Text.Length;
        var upText = source.Text.Substring(upStart, Math.Max(0, upEnd - upStart));
        var upTokens = SqlLexer.Tokenize(upText);
        var upStatements = SqlStatementSplitter.Split(upText, upTokens);
        UnrunnableSql.CheckScript(upText, upTokens, upStatements, "Up section", (start, end) => source.Locate(upStart + start, upStart + end), diagnostics);
        var upFirstLine = source.Lines.Position(upStart).Line;
        var upScript = ScriptModel.Create(upText, upStatements, (line, column) => (upFirstLine + line, column));

        var nonTransactional = false;
        if (header.Find("Transaction") is { } transaction)
        {
            nonTransactional = string.Equals(transaction.Value, "none", StringComparison.OrdinalIgnoreCase);
            if (!nonTransactional)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidDirective,
                    source.Locate(transaction.ValueStart, transaction.ValueEnd),
                    transaction.Key,
                    transaction.Value,
                    "the only value is 'none' (run the file outside a transaction); remove the line to run it in one transaction"));
            }
        }

        var importedFrom = ReadImportedFrom(header, source, diagnostics);
        var lockTimeout = ReadTimeout(header, "Lock-Timeout", source, diagnostics);
        var statementTimeout = ReadTimeout(header, "Statement-Timeout", source, diagnostics);
        var script = new ParsedScript(source, upStart, upStatements);
        var allowed = OptOutDirectives.Read(script, diagnostics);
        var context = new LintContext(!nonTransactional, postgresVersion, lockTimeout is not null, statementTimeout is not null);
        var deferred = UnsafeOperationRules.Check(script, allowed, context, diagnostics);

        return model with
        {
            NonTransactional = nonTransactional,
            LockTimeoutMilliseconds = lockTimeout,
            StatementTimeoutMilliseconds = statementTimeout,
            Up = upScript,
            Down = downLine is { } marker ? ReadDownSection(source, marker, diagnostics) : null,
            SchemaSteps = SchemaStepReader.Read(script, (i, id) => !allowed[i].Contains(id), deferred.IsDeferred).ToEquatableArray(),
            ConcurrentIndexes = nonTransactional ? ConcurrentIndexes(script) : EquatableArray<ConcurrentIndexModel>.Empty,
            ImportedFrom = importedFrom,
        };
    }

    /// <summary>
    /// <c>-- Imported-From: &lt;tool&gt; &lt;version&gt;</c>: two words, as <c>referralos-db import</c> writes them (the version
    /// exactly as the tool records it, which baseline --from-history matches against the tool's history table).
    /// </summary>
    private static ImportedFromModel? ReadImportedFrom(FileHeader header, SqlSource source, List<DiagnosticInfo> diagnostics)
    {
        if (header.Find("Imported-From") is not { } entry)
        {
            return null;
        }

        var parts = entry.Value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2)
        {
            return new ImportedFromModel(parts[0], parts[1]);
        }

        diagnostics.Add(DiagnosticInfo.Create(
            DiagnosticDescriptors.InvalidDirective,
            source.Locate(entry.ValueStart, entry.ValueEnd),
            entry.Key,
            entry.Value,
            "write the source tool and its version of the file, two words, as referralos-db import writes them, for example 'diesel 20190223172340' or 'flyway 1.2.3'"));
        return null;
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

    private static long? ReadTimeout(FileHeader header, string key, SqlSource source, List<DiagnosticInfo> diagnostics)
    {
        if (header.Find(key) is not { } entry)
        {
            return null;
        }

        if (TimeoutDirective.TryParse(entry.Value, out var milliseconds, out var problem))
        {
            return milliseconds;
        }

        diagnostics.Add(DiagnosticInfo.Create(
            DiagnosticDescriptors.InvalidDirective,
            source.Locate(entry.ValueStart, entry.ValueEnd),
            entry.Key,
            entry.Value,
            problem));
        return null;
    }

    /// <summary>
    /// The Down section is commented SQL: each line loses its leading "--" and one space, keeps its line break as
    /// written, and statements keep the line and column they have in the file.
    /// </summary>
    private static ScriptModel ReadDownSection(SqlSource source, int markerLine, List<DiagnosticInfo> diagnostics)
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

        UnrunnableSql.CheckScript(downText, tokens, statements, "Down section", (start, end) => source.Locate(FileOffset(start), FileOffset(end)), diagnostics);
        return statements.Count == 0
            ? ScriptModel.Empty
            : ScriptModel.Create(downText, statements, (line, column) => (markerLine + 1 + line, column + (line < removed.Count ? removed[line] : 0)));
    }

    private static SqlFileModel ParseSeed(SqlFileModel model, SqlSource source, FileHeader header, List<DiagnosticInfo> diagnostics)
    {
        var bodyStart = source.Lines.LineStart(header.EndLine);
        var bodyText = source.Text.Substring(bodyStart);
        var tokens = SqlLexer.Tokenize(bodyText);
        var statements = SqlStatementSplitter.Split(bodyText, tokens);
        UnrunnableSql.CheckScript(bodyText, tokens, statements, "seed", (start, end) => source.Locate(bodyStart + start, bodyStart + end), diagnostics);
        var firstLine = header.EndLine;
        var script = new ParsedScript(source, bodyStart, statements);
        var rows = new List<SeedRowModel>();
        foreach (var statement in script.Statements.OfType<InsertStatement>())
        {
            if (SeedRowParser.Parse(statement.Statement) is not { } insert)
            {
                continue;
            }

            // The row's table by its key (a.items, or items in public), as the migrations' schema knows it.
            var (explicitName, _) = SeedRowParser.ReadRowName(statement.Statement);
            for (var i = 0; i < insert.Rows.Count; i++)
            {
                var name = explicitName is null ? null : insert.Rows.Count == 1 ? explicitName : explicitName + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var location = source.Locate(bodyStart + statement.Statement.Start, bodyStart + statement.Statement.End);
                rows.Add(new SeedRowModel(statement.Table.Name, name, insert.Rows[i].ToEquatableArray(), location));
            }
        }

        var allowed = OptOutDirectives.Read(script, diagnostics);
        SeedRules.Check(script, allowed, diagnostics);

        var environments = header.Find("Environment")?.Value
            .Split(',')
            .Select(e => e.Trim().ToLowerInvariant())
            .Where(e => e.Length > 0)
            .ToEquatableArray() ?? EquatableArray<string>.Empty;

        return model with
        {
            Up = ScriptModel.Create(bodyText, statements, (line, column) => (firstLine + line, column)),
            SeedRows = rows.ToEquatableArray(),
            Environments = environments,
            SchemaSteps = SchemaStepReader.Read(script, (i, id) => !allowed[i].Contains(id), static (_, _) => false).ToEquatableArray(),
        };
    }

    /// <summary>A file the compiler had no text for: only its name and the diagnostic, and no number, so no catalogue holds it.</summary>
    private static SqlFileModel Unparsed(SqlInput input, string fileName, LocationInfo fileLocation, List<DiagnosticInfo> diagnostics) => new(
        input.Path,
        input.RelativePath,
        input.Kind,
        fileName,
        Number: -1,
        Name: string.Empty,
        SqlFileName.Stem(fileName),
        Description: string.Empty,
        Created: null,
        CreatedLocation: null,
        NonTransactional: false,
        LockTimeoutMilliseconds: null,
        StatementTimeoutMilliseconds: null,
        Environments: EquatableArray<string>.Empty,
        Checksum: string.Empty,
        Up: ScriptModel.Empty,
        Down: null,
        SchemaSteps: EquatableArray<SchemaStep>.Empty,
        SeedRows: EquatableArray<SeedRowModel>.Empty,
        fileLocation,
        diagnostics.ToEquatableArray());

    private static string WhyUnreadable(string fileName) => fileName.IndexOf('\uFFFD') >= 0
        ? "its name is not valid UTF-8 (shown with U+FFFD), so it cannot be opened by the name it is listed under; rename it to <number>_<name>.sql"
        : "the compiler could not open it, or found binary data in it; check that it exists, that the build may read it, and that it is text";

    private static string KindName(SqlFileKind kind) => kind == SqlFileKind.Migration ? "migration" : "seed";
}
