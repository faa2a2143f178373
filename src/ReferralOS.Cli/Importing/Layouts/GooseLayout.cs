using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// goose's folder: <c>&lt;version&gt;_&lt;name&gt;.sql</c>, the version a 64-bit number, applied in number order, each file
/// holding a <c>-- +goose Up</c> and a <c>-- +goose Down</c> section. <c>-- +goose StatementBegin</c>/<c>StatementEnd</c>
/// only tell goose where a statement ends, so they stay in the SQL as the comments they are; <c>-- +goose NO TRANSACTION</c>
/// runs the file outside a transaction. Go migrations (<c>.go</c>) are code, not SQL, and cannot be imported.
/// </summary>
internal static partial class GooseLayout
{
    public static void Read(SourceFolder source)
    {
        var found = new SortedDictionary<long, (string Name, string File)>();
        foreach (var file in Directory.GetFiles(source.Path).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                if (!fileName.StartsWith('.'))
                {
                    source.Skipped.Add(new ImportProblem(fileName, 0, "not named <version>_<name>.sql; goose does not run it either"));
                }

                continue;
            }

            if (match.Groups["extension"].Value == "go")
            {
                source.Problem(fileName, 0, "a Go migration: import converts SQL only. Write what it does as a SQL migration of the same version, or apply it and baseline past it");
                continue;
            }

            if (!long.TryParse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                source.Problem(fileName, 0, "its version does not fit goose's 64-bit version number");
            }
            else if (!found.TryAdd(version, (match.Groups["name"].Value, file)))
            {
                source.Problem(fileName, 0, $"version {version} is also the version of {Path.GetFileName(found[version].File)}: goose refuses a folder with two");
            }
        }

        foreach (var (version, (name, file)) in found)
        {
            if (source.ReadText(file) is { } text)
            {
                ReadFile(source, source.Relative(file), version.ToString(CultureInfo.InvariantCulture), name, text);
            }
        }
    }

    private static void ReadFile(SourceFolder source, string path, string version, string name, string text)
    {
        var lines = new SourceLines(text);
        int? up = null;
        int? down = null;
        var outside = false;
        for (var line = 0; line < lines.Count; line++)
        {
            var annotation = Annotation().Match(lines[line]);
            if (!annotation.Success)
            {
                if (up is null && !SourceLines.IsBlankOrComment(lines[line]))
                {
                    source.Problem(path, line + 1, "SQL before '-- +goose Up': goose refuses it; move it into the Up section");
                    return;
                }

                continue;
            }

            switch (annotation.Groups["command"].Value.Trim().ToUpperInvariant())
            {
                case "UP" when up is null && down is null:
                    up = line;
                    break;
                case "DOWN" when up is not null && down is null:
                    down = line;
                    break;
                case "UP" or "DOWN":
                    source.Problem(path, line + 1, "goose takes one '-- +goose Up' and then at most one '-- +goose Down'");
                    return;
                case "NO TRANSACTION":
                    outside = true;
                    break;
                case "STATEMENTBEGIN" or "STATEMENTEND" or "ENVSUB OFF":
                    break;
                case "ENVSUB ON":
                    source.Problem(path, line + 1, "'-- +goose ENVSUB ON' substitutes environment variables into the SQL, which the ReferralOS runtime does not: write the values into the SQL");
                    return;
                default:
                    source.Problem(path, line + 1, $"'{lines[line].Trim()}' is not a goose annotation import knows (Up, Down, StatementBegin, StatementEnd, NO TRANSACTION)");
                    return;
            }
        }

        if (up is null)
        {
            source.Problem(path, 0, "has no '-- +goose Up' annotation, which goose requires: add it above the migration's SQL");
            return;
        }

        var (upSql, downSql) = lines.Sections(path, up.Value, down);
        source.Migrations.Add(new SourceMigration(version, name, upSql, downSql, outside));
    }

    [GeneratedRegex(@"^(?<version>[0-9]+)_(?<name>.*)\.(?<extension>sql|go)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^[ \t]*--[ \t]*\+goose[ \t]+(?<command>.*?)[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Annotation();
}
