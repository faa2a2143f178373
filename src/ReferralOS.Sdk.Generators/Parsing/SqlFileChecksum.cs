using System.Security.Cryptography;
using System.Text;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// The one checksum definition: SHA-256 of the file's text as UTF-8, any byte-order mark removed and CRLF/CR
/// normalised to LF, as lower-case hex. A Windows checkout therefore has the same checksum as a Linux one.
/// </summary>
internal static class SqlFileChecksum
{
    public static string Compute(string text)
    {
        var normalized = NormalizeLineEndings(text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text);
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(normalized));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    public static string NormalizeLineEndings(string text) =>
        text.IndexOf('\r') < 0 ? text : text.Replace("\r\n", "\n").Replace('\r', '\n');
}
