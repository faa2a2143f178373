using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// Flyway's folder, searched recursively as Flyway searches a location: versioned migrations
/// <c>V&lt;version&gt;__&lt;description&gt;.sql</c>, applied in version order (<c>1.2.3</c> compared part by part as
/// numbers, <c>_</c> read as <c>.</c>), and undo migrations <c>U&lt;version&gt;__….sql</c>, their Down. Flyway runs a
/// migration outside a transaction when a statement in it cannot run in one, or when its <c>.sql.conf</c> file says
/// <c>executeInTransaction=false</c>. Repeatable migrations (<c>R__</c>) and callbacks (<c>afterMigrate.sql</c> …) have
/// no ReferralOS equivalent and stop the import; Flyway's <c>${placeholders}</c> do too, since Flyway replaced them.
/// </summary>
internal static partial class FlywayLayout
{
    public static void Read(SourceFolder source)
    {
        var versioned = new List<(FlywayVersion Version, string Name, string File)>();
        var undo = new List<(FlywayVersion Version, string File)>();
        foreach (var file in Directory.GetFiles(source.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var path = source.Relative(file);
            var fileName = Path.GetFileName(file);
            if (!fileName.EndsWith(".sql", StringComparison.Ordinal))
            {
                if (!fileName.EndsWith(".sql.conf", StringComparison.Ordinal) && !fileName.StartsWith('.'))
                {
                    source.Skipped.Add(new ImportProblem(path, 0, "not a .sql file; Flyway does not run it either"));
                }

                continue;
            }

            var match = FileName().Match(fileName);
            if (match.Success)
            {
                var version = FlywayVersion.Parse(match.Groups["version"].Value);
                if (match.Groups["prefix"].Value == "V")
                {
                    versioned.Add((version, match.Groups["description"].Value, file));
                }
                else
                {
                    undo.Add((version, file));
                }
            }
            else if (fileName.StartsWith("R__", StringComparison.Ordinal))
            {
                source.Problem(path, 0, "a repeatable migration (R__): Flyway re-runs it whenever it changes, and a ReferralOS migration runs once. Not supported: after importing the rest, put its current text in a new migration, or import it by hand");
            }
            else if (Callback().IsMatch(fileName))
            {
                source.Problem(path, 0, "a Flyway callback, which runs around every migration; ReferralOS has none. Not supported: fold what it does into the migrations, or move it out of the folder");
            }
            else
            {
                source.Skipped.Add(new ImportProblem(path, 0, "not named V<version>__<description>.sql or U<version>__<description>.sql; Flyway does not run it either"));
            }
        }

        foreach (var duplicate in versioned.GroupBy(v => v.Version).Where(g => g.Count() > 1))
        {
            source.Problem(source.Relative(duplicate.First().File), 0, $"version {duplicate.Key} is also the version of {string.Join(", ", duplicate.Skip(1).Select(v => source.Relative(v.File)))}: Flyway refuses a folder with two");
        }

        foreach (var (version, file) in undo.Where(u => !versioned.Any(v => v.Version.Equals(u.Version))))
        {
            source.Problem(source.Relative(file), 0, $"an undo migration for version {version}, which no V file has");
        }

        foreach (var (version, name, file) in versioned.OrderBy(v => v.Version))
        {
            var path = source.Relative(file);
            if (source.ReadText(file) is not { } text)
            {
                continue;
            }

            var up = new SourceSql(path, text, 1);
            SourceSql? down = null;
            if (undo.FirstOrDefault(u => u.Version.Equals(version)).File is { } undoFile && source.ReadText(undoFile) is { } undoText && undoText.Trim().Length > 0)
            {
                down = new SourceSql(source.Relative(undoFile), undoText, 1);
            }

            foreach (var sql in new[] { up, down }.OfType<SourceSql>())
            {
                foreach (Match placeholder in Placeholder().Matches(sql.Text))
                {
                    source.Problem(sql.Path, SourceLines.LineOf(sql.Text, placeholder.Index, 1), $"the Flyway placeholder {placeholder.Value}, which Flyway replaced before running the file: write its value into the SQL, as it ran");
                }
            }

            var outside = ExecuteInTransactionOff(source, file + ".conf") || TransactionBlock.HasStatementThatCannotRunInOne(text);
            source.Migrations.Add(new SourceMigration(version.ToString(), name, up, down, outside));
        }
    }

    private static bool ExecuteInTransactionOff(SourceFolder source, string conf) =>
        File.Exists(conf) && source.ReadText(conf) is { } text && ExecuteInTransaction().Match(text) is { Success: true } setting &&
        string.Equals(setting.Groups["value"].Value, "false", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(?<prefix>[VU])(?<version>[0-9]+(?:[._][0-9]+)*)__(?<description>.*)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^(?:before|after)[A-Za-z]*(?:__.*)?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex Callback();

    [GeneratedRegex(@"\$\{[^}\r\n]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[ \t]*executeInTransaction[ \t]*=[ \t]*(?<value>true|false)[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExecuteInTransaction();

    /// <summary>A Flyway version: its parts as numbers, so that 1.10 comes after 1.9 and 1.0 is 1; written with dots, as Flyway records it.</summary>
    private sealed class FlywayVersion : IComparable<FlywayVersion>, IEquatable<FlywayVersion>
    {
        private readonly BigInteger[] _parts;
        private readonly string _text;

        private FlywayVersion(BigInteger[] parts, string text)
        {
            _parts = parts;
            _text = text;
        }

        public static FlywayVersion Parse(string text)
        {
            var dotted = text.Replace('_', '.');
            var parts = dotted.Split('.').Select(p => BigInteger.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToList();
            while (parts.Count > 1 && parts[^1].IsZero)
            {
                parts.RemoveAt(parts.Count - 1);
            }

            return new FlywayVersion([.. parts], dotted);
        }

        public int CompareTo(FlywayVersion? other)
        {
            if (other is null)
            {
                return 1;
            }

            for (var i = 0; i < Math.Max(_parts.Length, other._parts.Length); i++)
            {
                var compared = (i < _parts.Length ? _parts[i] : BigInteger.Zero).CompareTo(i < other._parts.Length ? other._parts[i] : BigInteger.Zero);
                if (compared != 0)
                {
                    return compared;
                }
            }

            return 0;
        }

        public bool Equals(FlywayVersion? other) => CompareTo(other) == 0;

        public override bool Equals(object? obj) => obj is FlywayVersion other && Equals(other);

        public override int GetHashCode() => _parts.Aggregate(0, (hash, part) => HashCode.Combine(hash, part));

        public override string ToString() => _text;
    }
}
