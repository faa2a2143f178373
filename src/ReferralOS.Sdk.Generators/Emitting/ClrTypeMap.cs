using System.Globalization;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Emitting;

/// <summary>
/// Turns a seed literal into a typed C# member, the C# type following the column's SQL type
/// (uuid → Guid, varchar/text → string, boolean → bool, integer → int, numeric → decimal, timestamptz →
/// DateTimeOffset, text[] → IReadOnlyList&lt;string&gt;, json/jsonb → string). A literal that does not fit its
/// column's type, or a column whose type is unknown, keeps the type its literal suggests.
/// </summary>
internal static class ClrTypeMap
{
    private static readonly char[] DecimalMarks = { '.', 'e', 'E' };

    public static SeedMemberModel? Member(string name, SeedValue value, string? sqlType)
    {
        var baseType = BaseType(sqlType, out var isArray);
        if (value.Kind == SeedValueKind.Expression)
        {
            return null;
        }

        if (value.Kind == SeedValueKind.StringArray || (isArray && value.Kind == SeedValueKind.Null))
        {
            var initializer = value.Kind == SeedValueKind.Null
                ? "null"
                : "global::System.Array.AsReadOnly(new string[] { " + string.Join(", ", value.Items.Select(CSharpLiteral.String)) + " })";
            var type = value.Kind == SeedValueKind.Null ? "global::System.Collections.Generic.IReadOnlyList<string>?" : "global::System.Collections.Generic.IReadOnlyList<string>";
            return new SeedMemberModel(name, value.Column, sqlType, type, initializer, SeedMemberForm.StaticProperty, value.Kind == SeedValueKind.Null ? "NULL" : "{" + string.Join(", ", value.Items) + "}");
        }

        var clr = baseType is null ? FromLiteral(value) : FromSqlType(baseType);
        return Typed(name, value, sqlType, clr) ?? Typed(name, value, sqlType, FromLiteral(value));
    }

    private static SeedMemberModel? Typed(string name, SeedValue value, string? sqlType, string clr)
    {
        string? initializer;
        var form = SeedMemberForm.Const;
        if (value.Kind == SeedValueKind.Null)
        {
            var nullable = clr + "?";
            return new SeedMemberModel(name, value.Column, sqlType, nullable, "null", clr is "string" ? SeedMemberForm.Const : SeedMemberForm.StaticReadOnlyField, "NULL");
        }

        var text = value.Text;
        var invariant = CultureInfo.InvariantCulture;
        switch (clr)
        {
            case "string":
                initializer = CSharpLiteral.String(text);
                break;
            case "bool":
                initializer = value.Kind == SeedValueKind.Boolean ? text : BoolFromString(text);
                break;
            case "short":
                initializer = short.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var s) ? s.ToString(invariant) : null;
                break;
            case "int":
                initializer = int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i) ? i.ToString(invariant) : null;
                break;
            case "long":
                initializer = long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l) ? l.ToString(invariant) + "L" : null;
                break;
            case "decimal":
                initializer = decimal.TryParse(text, NumberStyles.Float, invariant, out var m) ? m.ToString(invariant) + "m" : null;
                break;
            case "double":
                initializer = double.TryParse(text, NumberStyles.Float, invariant, out var d) ? d.ToString("R", invariant) + "d" : null;
                break;
            case "float":
                initializer = float.TryParse(text, NumberStyles.Float, invariant, out var f) ? f.ToString("R", invariant) + "f" : null;
                break;
            case "global::System.Guid":
                form = SeedMemberForm.StaticReadOnlyField;
                initializer = value.Kind == SeedValueKind.String && Guid.TryParse(text, out var guid)
                    ? "new global::System.Guid(" + CSharpLiteral.String(guid.ToString("D")) + ")"
                    : null;
                break;
            case "global::System.DateTimeOffset":
                form = SeedMemberForm.StaticReadOnlyField;
                initializer = value.Kind == SeedValueKind.String && DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AssumeUniversal, out _)
                    ? "global::System.DateTimeOffset.Parse(" + CSharpLiteral.String(text) + ", global::System.Globalization.CultureInfo.InvariantCulture, global::System.Globalization.DateTimeStyles.AssumeUniversal)"
                    : null;
                break;
            case "global::System.DateTime":
                form = SeedMemberForm.StaticReadOnlyField;
                initializer = value.Kind == SeedValueKind.String && DateTime.TryParse(text, invariant, DateTimeStyles.None, out _)
                    ? "global::System.DateTime.Parse(" + CSharpLiteral.String(text) + ", global::System.Globalization.CultureInfo.InvariantCulture)"
                    : null;
                break;
            default:
                initializer = null;
                break;
        }

        return initializer is null ? null : new SeedMemberModel(name, value.Column, sqlType, clr, initializer, form, text);
    }

    private static string? BoolFromString(string text) => text.ToLowerInvariant() switch
    {
        "t" or "true" or "yes" or "on" or "1" => "true",
        "f" or "false" or "no" or "off" or "0" => "false",
        _ => null,
    };

    private static string FromLiteral(SeedValue value) => value.Kind switch
    {
        SeedValueKind.Boolean => "bool",
        SeedValueKind.Number => value.Text.IndexOfAny(DecimalMarks) >= 0 ? "decimal" : "long",
        _ => "string",
    };

    /// <summary>The SQL type without modifiers or array brackets, e.g. "varchar(63)" → "varchar".</summary>
    private static string? BaseType(string? sqlType, out bool isArray)
    {
        isArray = false;
        if (sqlType is null)
        {
            return null;
        }

        var type = sqlType.Trim();
        if (type.EndsWith("[]", StringComparison.Ordinal) || type.EndsWith(" array", StringComparison.Ordinal))
        {
            isArray = true;
            type = type.EndsWith("[]", StringComparison.Ordinal) ? type.Substring(0, type.Length - 2) : type.Substring(0, type.Length - 6);
        }

        var paren = type.IndexOf('(');
        if (paren >= 0)
        {
            var close = type.IndexOf(')', paren);
            type = (type.Substring(0, paren) + (close >= 0 ? type.Substring(close + 1) : string.Empty)).Trim();
        }

        var dot = type.LastIndexOf('.');
        return dot >= 0 ? type.Substring(dot + 1) : type;
    }

    private static string FromSqlType(string baseType) => baseType switch
    {
        "uuid" => "global::System.Guid",
        "boolean" or "bool" => "bool",
        "smallint" or "int2" or "smallserial" or "serial2" => "short",
        "integer" or "int" or "int4" or "serial" or "serial4" => "int",
        "bigint" or "int8" or "bigserial" or "serial8" => "long",
        "numeric" or "decimal" or "money" => "decimal",
        "real" or "float4" => "float",
        "double precision" or "float8" or "float" => "double",
        "timestamptz" or "timestamp with time zone" => "global::System.DateTimeOffset",
        "timestamp" or "timestamp without time zone" => "global::System.DateTime",
        _ => "string",
    };
}
