using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// sqlx's folder: <c>&lt;version&gt;_&lt;name&gt;.sql</c>, or reversible <c>&lt;version&gt;_&lt;name&gt;.up.sql</c> with
/// <c>.down.sql</c>; the version a 64-bit number, applied in number order, each file in a transaction unless its text
/// starts with <c>-- no-transaction</c>.
/// </summary>
internal static partial class SqlxLayout
{
    private const string NoTransaction = "-- no-transaction";

    public static void Read(SourceFolder source)
    {
        var files = new UpDownFiles<long>();
        foreach (var file in Directory.GetFiles(source.Path).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                if (!fileName.StartsWith('.'))
                {
                    source.Skipped.Add(new ImportProblem(fileName, 0, "not named <version>_<name>.sql (or .up.sql/.down.sql); sqlx does not run it either"));
                }

                continue;
            }

            if (!long.TryParse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                source.Problem(fileName, 0, "its version does not fit sqlx's 64-bit version number");
                continue;
            }

            var isDown = match.Groups["direction"].Value == ".down";
            if (!files.TryAdd(version, match.Groups["name"].Value, file, isDown))
            {
                source.Problem(fileName, 0, $"a second {(isDown ? "down" : "up")} migration for version {version}: sqlx refuses a folder with two");
            }
        }

        files.AddMigrations(source, upText => upText.StartsWith(NoTransaction, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^(?<version>[0-9]+)_(?<name>.*?)(?<direction>\.up|\.down)?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
