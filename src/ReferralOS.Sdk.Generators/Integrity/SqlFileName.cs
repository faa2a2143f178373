using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>
/// The one definition of a SQL file name: a zero-padded number of at least three digits, an underscore and a
/// lower-case snake_case name, e.g. <c>002_create_tenants.sql</c>. Its stem is the version.
/// </summary>
public static class SqlFileName
{
    private static readonly Regex Grammar = new(
        @"^(?<number>[0-9]{3,9})_(?<name>[a-z][a-z0-9]*(?:_[a-z0-9]+)*)\.sql$",
        RegexOptions.CultureInvariant);

    /// <summary>Reads a file name such as <c>002_create_tenants.sql</c>.</summary>
    /// <param name="fileName">The file name, without folders.</param>
    /// <param name="number">The number, 2 for the example; -1 when the name does not follow the grammar.</param>
    /// <param name="name">The name after the number, <c>create_tenants</c> for the example.</param>
    /// <returns>Whether the name follows the grammar.</returns>
    public static bool TryParse(string fileName, out int number, out string name)
    {
        var match = Grammar.Match(fileName);
        if (!match.Success)
        {
            number = -1;
            name = string.Empty;
            return false;
        }

        number = int.Parse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        name = match.Groups["name"].Value;
        return true;
    }

    /// <summary>
    /// Whether a file is a SQL file that the build hands the generator: its name ends in <c>.sql</c>, in any case, as
    /// the build's <c>*.sql</c> glob matches it. Whether the name is a valid one is <see cref="TryParse"/>'s to say.
    /// </summary>
    /// <param name="path">A path or file name.</param>
    /// <returns>Whether the file is read as SQL.</returns>
    public static bool IsSqlFile(string path) => path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file name from a path with either separator, so a Windows path parses on Linux and back.</summary>
    /// <param name="path">A path.</param>
    /// <returns>The part after the last separator.</returns>
    public static string FromPath(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? path : path.Substring(slash + 1);
    }

    /// <summary>The version a file name stands for: the name without <c>.sql</c>, e.g. <c>002_create_tenants</c>.</summary>
    /// <param name="fileName">The file name.</param>
    /// <returns>The stem.</returns>
    public static string Stem(string fileName) =>
        fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ? fileName.Substring(0, fileName.Length - 4) : fileName;
}
