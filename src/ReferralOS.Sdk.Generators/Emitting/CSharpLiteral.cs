using System.Globalization;
using System.Text;

namespace ReferralOS.Sdk.Generators.Emitting;

/// <summary>C# literals for generated code.</summary>
internal static class CSharpLiteral
{
    /// <summary>A regular string literal, one line, every control character escaped.</summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || IsLoneSurrogate(value, i) || c is '\u2028' or '\u2029' or '\u0085')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A verbatim string literal, so multi-line SQL reads as SQL in the generated file.</summary>
    public static string Verbatim(string value) => "@\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// A string literal of the text exactly: verbatim, so SQL reads as SQL, when every character can stand in the file
    /// as itself (LF line breaks, tabs); escaped otherwise, so a CR, a control character or U+2028 reaches the program
    /// as written and not as whatever line ending the generated file is given.
    /// </summary>
    public static string Text(string value)
    {
        var raw = true;
        for (var i = 0; i < value.Length && raw; i++)
        {
            raw = value[i] is '\n' or '\t' || !(char.IsControl(value[i]) || IsLoneSurrogate(value, i) || value[i] is '\u2028' or '\u2029' or '\u0085');
        }

        return raw ? Verbatim(value) : String(value);
    }

    /// <summary>A UTF-8 literal (<c>"…"u8</c>) of the text exactly, written as <see cref="Text"/> writes it.</summary>
    public static string Utf8(string value) => Text(value) + "u8";

    private static bool IsLoneSurrogate(string value, int i) =>
        (char.IsHighSurrogate(value[i]) && !(i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))) ||
        (char.IsLowSurrogate(value[i]) && !(i > 0 && char.IsHighSurrogate(value[i - 1])));

    public static string Nullable(string? value) => value is null ? "null" : String(value);
}
