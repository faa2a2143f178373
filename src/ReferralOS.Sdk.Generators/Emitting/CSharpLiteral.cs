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
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
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

    public static string Nullable(string? value) => value is null ? "null" : String(value);
}
