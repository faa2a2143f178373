using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// How the text of a .sql file is read, strictly: UTF-8, or UTF-16 when the file starts with its byte-order mark.
/// The compiler hands the generator a file's text already decoded; <see cref="FindUndecodable"/> tells from that
/// text and the encoding the compiler chose whether bytes were lost, so that invalid UTF-8 is a build error, never
/// text rewritten to U+FFFD and applied. <see cref="Decode"/> reads bytes the way the compiler does, for tools that
/// run the generator outside a build (the CLI's lint).
/// </summary>
public static class SqlFileText
{
    private static readonly char[] LineBreaks = { '\n', '\r' };

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes a file's bytes as the compiler decodes an AdditionalFile: by its byte-order mark when it has one,
    /// else as UTF-8, strictly. Bytes that are not UTF-8 are read as Latin-1 instead, one character a byte, so the
    /// generator can say on which line they stand.
    /// </summary>
    /// <param name="bytes">The file's contents.</param>
    /// <returns>The text, with the encoding it was read in.</returns>
    public static SourceText Decode(byte[] bytes)
    {
        if (bytes is null)
        {
            throw new ArgumentNullException(nameof(bytes));
        }

        var utf16 = bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));
        if (utf16)
        {
            return SourceText.From(bytes, bytes.Length, bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode);
        }

        try
        {
            return SourceText.From(bytes, bytes.Length, StrictUtf8);
        }
        catch (DecoderFallbackException)
        {
            // ISO-8859-1: one character a byte, so the bytes can be had back exactly.
            return SourceText.From(bytes, bytes.Length, Encoding.GetEncoding(28591));
        }
    }

    /// <summary>
    /// Where in <paramref name="content"/> (the text of <paramref name="text"/>) the first character stands that
    /// does not come from valid UTF-8 or UTF-16, with a note for the message; -1 when every byte was decoded.
    /// </summary>
    internal static (int Offset, string Detail) FindUndecodable(SourceText text, string content)
    {
        var encoding = text.Encoding;
        if (encoding is UTF8Encoding && encoding.DecoderFallback is DecoderExceptionFallback)
        {
            return (-1, string.Empty);
        }

        // Lenient UTF-8 or UTF-16 (a BOM, or the compiler's fallback where the system code page is UTF-8) put U+FFFD
        // where bytes were invalid; text built from a string (no encoding) is judged the same way.
        if (encoding is null or UTF8Encoding or UnicodeEncoding)
        {
            for (var i = 0; i < content.Length; i++)
            {
                if (content[i] == '\uFFFD')
                {
                    return (i, "it holds U+FFFD, which a reader puts where bytes could not be decoded");
                }

                if (char.IsHighSurrogate(content[i]) && i + 1 < content.Length && char.IsLowSurrogate(content[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(content[i]))
                {
                    return (i, "it holds half of a UTF-16 surrogate pair, which no UTF-8 text can");
                }
            }

            return (-1, string.Empty);
        }

        // Another encoding: the compiler fell back to the system code page because the bytes are not UTF-8.
        var bytes = encoding.GetBytes(content);
        var invalid = FirstInvalidUtf8(bytes);
        if (invalid < 0)
        {
            return (-1, string.Empty);
        }

        var offset = encoding.GetCharCount(bytes, 0, invalid);
        var lineStart = content.LastIndexOfAny(LineBreaks, Math.Max(0, offset - 1)) + 1;
        var column = offset - (offset == 0 ? 0 : lineStart) + 1;
        return (offset, "byte 0x" + bytes[invalid].ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " at column " +
            column.ToString(System.Globalization.CultureInfo.InvariantCulture) + " starts no UTF-8 character");
    }

    /// <summary>The index of the first byte that is not part of a well-formed UTF-8 sequence, or -1.</summary>
    internal static int FirstInvalidUtf8(byte[] bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b < 0x80)
            {
                i++;
                continue;
            }

            int length;
            int min;
            if (b is >= 0xC2 and <= 0xDF)
            {
                (length, min) = (2, 0x80);
            }
            else if (b is >= 0xE0 and <= 0xEF)
            {
                (length, min) = (3, 0x800);
            }
            else if (b is >= 0xF0 and <= 0xF4)
            {
                (length, min) = (4, 0x10000);
            }
            else
            {
                return i;
            }

            if (i + length > bytes.Length)
            {
                return i;
            }

            var value = b & (0xFF >> (length + 1));
            for (var k = 1; k < length; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    return i;
                }

                value = (value << 6) | (bytes[i + k] & 0x3F);
            }

            if (value < min || value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
            {
                return i;
            }

            i += length;
        }

        return -1;
    }
}
