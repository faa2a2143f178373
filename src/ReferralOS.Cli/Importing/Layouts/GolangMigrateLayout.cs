using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// golang-migrate's folder: <c>&lt;version&gt;_&lt;name&gt;.up.sql</c> and <c>.down.sql</c>, the version a whole number,
/// applied in number order. Its PostgreSQL driver sends each file as one multi-statement query, which the server
/// runs as one implicit transaction; a file whose statements cannot run in a transaction block therefore ran outside one.
/// </summary>
internal static partial class GolangMigrateLayout
{
    public static void Read(SourceFolder source)
    {
        var files = new UpDownFiles<ulong>();
        foreach (var file in Directory.GetFiles(source.Path).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            var match = FileName().Match(fileName);
            if (!match.Success || !string.Equals(match.Groups["extension"].Value, "sql", StringComparison.OrdinalIgnoreCase))
            {
                if (!fileName.StartsWith('.'))
                {
                    source.Skipped.Add(new ImportProblem(fileName, 0, "not named <version>_<name>.up.sql or .down.sql; golang-migrate does not run it either"));
                }

                continue;
            }

            if (!ulong.TryParse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                source.Problem(fileName, 0, "its version does not fit golang-migrate's 64-bit version number");
                continue;
            }

            if (!files.TryAdd(version, match.Groups["name"].Value, file, isDown: match.Groups["direction"].Value == "down"))
            {
                source.Problem(fileName, 0, $"a second {match.Groups["direction"].Value} file for version {version}: golang-migrate refuses a folder with two");
            }
        }

        files.AddMigrations(source, TransactionBlock.HasStatementThatCannotRunInOne);
    }

    [GeneratedRegex(@"^(?<version>[0-9]+)_(?<name>.*)\.(?<direction>up|down)\.(?<extension>[^.]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
