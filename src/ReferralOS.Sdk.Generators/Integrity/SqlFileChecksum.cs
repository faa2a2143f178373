using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>
/// The one checksum definition: SHA-256 of the file's text as UTF-8, any byte-order mark removed and CRLF/CR
/// normalised to LF, as lower-case hex. A Windows checkout therefore has the same checksum as a Linux one.
/// </summary>
public static class SqlFileChecksum
{
    /// <summary>The checksum of a migration or seed file's text, as read from disk.</summary>
    /// <param name="text">The file's text; a leading BOM and any CRLF or CR line endings do not change the result.</param>
    /// <returns>64 lower-case hex digits.</returns>
    public static string Compute(string text) =>
        Sha256Hex(NormalizeLineEndings(text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text));

    /// <summary>The text with CRLF and lone CR line endings turned into LF.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The same text with LF line endings only.</returns>
    public static string NormalizeLineEndings(string text) =>
        text.IndexOf('\r') < 0 ? text : text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string Sha256Hex(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
