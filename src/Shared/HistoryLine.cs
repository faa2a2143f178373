using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReferralOS.Sdk.Shared;

/// <summary>
/// The one line that stands for a migration in every history: its version, one space, the checksum of its file
/// (<c>002_create_tenants 9a1f…</c>). <c>migrations.lock</c> lists one per released migration and its sum line is the
/// <see cref="Digest"/> of them; the generated catalog carries them, LF between lines, for the up-to-date check; the
/// history table's digest hashes each row's line on the server (<see cref="Sql"/>); the catalog's fingerprint is the
/// <see cref="Digest"/> of its migrations' and seeds' lines. Compiled from this one file into the generator and the runtime.
/// </summary>
internal static class HistoryLine
{
    /// <summary>Between the lines of a history text (and after each line that <see cref="Digest"/> hashes).</summary>
    public const char LineSeparator = '\n';

    private static readonly char[] Blanks = [' ', '\t'];

    /// <summary>The line of one migration.</summary>
    /// <param name="version">Its version, e.g. <c>002_create_tenants</c>.</param>
    /// <param name="checksum">The checksum of its file: 64 lower-case hex digits.</param>
    /// <returns><c>version checksum</c>.</returns>
    public static string Of(string version, string checksum) => version + " " + checksum;

    /// <summary>The line of a history row as a SQL expression, for the server to hash what <see cref="Of"/> writes.</summary>
    /// <param name="versionColumn">The SQL expression of the version.</param>
    /// <param name="checksumColumn">The SQL expression of the checksum.</param>
    /// <returns><c>version || ' ' || checksum</c>.</returns>
    public static string Sql(string versionColumn, string checksumColumn) => versionColumn + " || ' ' || " + checksumColumn;

    /// <summary>A history text: the lines, LF between them, none after the last.</summary>
    /// <param name="lines">The lines, in order.</param>
    /// <returns>The text; empty for no lines.</returns>
    public static string Join(IEnumerable<string> lines) => string.Join(LineSeparator.ToString(), lines);

    /// <summary>Reads a line as <see cref="Of"/> writes it; blanks around and between the two words are forgiven, as people type them.</summary>
    /// <param name="line">The line.</param>
    /// <param name="version">The first word, or empty.</param>
    /// <param name="checksum">The second word, or empty.</param>
    /// <returns>Whether the line has exactly two words.</returns>
    public static bool TryRead(string line, out string version, out string checksum)
    {
        var words = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        version = words.Length == 2 ? words[0] : string.Empty;
        checksum = words.Length == 2 ? words[1] : string.Empty;
        return words.Length == 2;
    }

    /// <summary>The SHA-256 of the lines, each followed by LF, as UTF-8: 64 lower-case hex digits.</summary>
    /// <param name="lines">The lines, in order.</param>
    /// <returns>The digest.</returns>
    public static string Digest(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append(LineSeparator);
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
#if NETSTANDARD2_0
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(bytes);
#else
        var hash = SHA256.HashData(bytes);
#endif
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
