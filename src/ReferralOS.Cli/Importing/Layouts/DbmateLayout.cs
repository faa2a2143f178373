using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// dbmate's folder: <c>&lt;version&gt;_&lt;name&gt;.sql</c> (the version the leading digits, kept as text, as dbmate records
/// it), applied in file-name order, each file holding a <c>-- migrate:up</c> block and a <c>-- migrate:down</c> block.
/// A block runs in a transaction unless its marker says <c>transaction:false</c>.
/// </summary>
internal static partial class DbmateLayout
{
    public static void Read(SourceFolder source)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(source.Path).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                if (!fileName.StartsWith('.'))
                {
                    source.Skipped.Add(new ImportProblem(fileName, 0, "not named <version>_<name>.sql; dbmate does not run it either"));
                }

                continue;
            }

            var version = match.Groups["version"].Value;
            if (!versions.TryAdd(version, fileName))
            {
                source.Problem(fileName, 0, $"version {version} is also the version of {versions[version]}: dbmate keeps one row per version, so only one of them can have run");
                continue;
            }

            if (source.ReadText(file) is { } text)
            {
                ReadFile(source, fileName, version, match.Groups["name"].Value.TrimStart('_'), text);
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
            var marker = Marker().Match(lines[line]);
            if (!marker.Success)
            {
                if (up is null && !SourceLines.IsBlankOrComment(lines[line]))
                {
                    source.Problem(path, line + 1, "SQL before '-- migrate:up': dbmate runs only what its blocks hold; move it into the up block");
                    return;
                }

                continue;
            }

            var isUp = marker.Groups["direction"].Value == "up";
            if (isUp ? up is not null : down is not null)
            {
                source.Problem(path, line + 1, $"a second '-- migrate:{marker.Groups["direction"].Value}' marker: dbmate takes one of each");
                return;
            }

            if (isUp && down is not null)
            {
                source.Problem(path, line + 1, "'-- migrate:up' after '-- migrate:down': write the up block first");
                return;
            }

            foreach (var option in marker.Groups["options"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                switch (option)
                {
                    case "transaction:false":
                        outside |= isUp;
                        break;
                    case "transaction:true":
                        break;
                    default:
                        source.Problem(path, line + 1, $"the block option '{option}' is not supported: import converts transaction:false only (an env: option substitutes variables, which the ReferralOS runtime does not)");
                        return;
                }
            }

            if (isUp)
            {
                up = line;
            }
            else
            {
                down = line;
            }
        }

        if (up is null)
        {
            source.Problem(path, 0, "has no '-- migrate:up' marker, which dbmate requires: add it above the migration's SQL");
            return;
        }

        var (upSql, downSql) = lines.Sections(path, up.Value, down);
        source.Migrations.Add(new SourceMigration(version, name, upSql, downSql, outside));
    }

    [GeneratedRegex(@"^(?<version>[0-9]+)(?<name>.*)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^--[ \t]*migrate:(?<direction>up|down)(?<options>(?:[ \t].*)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
