using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The ALTER COLUMN … TYPE changes that rewrite neither the table nor its indexes: the old type is binary coercible
/// to the new one (since 9.1: varchar → text, text → varchar, cidr → inet, xml → text), or only a length, precision
/// or limit is raised or removed (since 9.2: varchar(n) → varchar(m ≥ n) or varchar, numeric(p, s) → numeric(q ≥ p, s)
/// or numeric, varbit(n) → varbit(m ≥ n), timestamp(p) → timestamp(q ≥ p), likewise timestamptz, time, timetz and
/// interval). A respelling of the same type (int → integer) changes nothing in any version. Anything else — another
/// type, a narrower one, a changed numeric scale, arrays, timestamp → timestamptz (which depends on the session's
/// time zone) — counts as a rewrite, as does every change when the project declares a version before 10. Checked
/// against PostgreSQL 15 by comparing the table's and its indexes' relfilenode before and after each change.
/// </summary>
internal static class ColumnTypeChanges
{
    private static readonly Regex Shape = new(
        @"^(?:pg_catalog\.)?(?<name>[a-z_][a-z0-9_ ]*?)\s*(?:\((?<mods>[0-9 ,]+)\))?(?<zone>\s+with(?:out)?\s+time\s+zone)?(?<array>(?:\[[0-9]*\])*)$",
        RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["character varying"] = "varchar",
        ["char varying"] = "varchar",
        ["character"] = "bpchar",
        ["char"] = "bpchar",
        ["decimal"] = "numeric",
        ["bit varying"] = "varbit",
        ["int"] = "int4",
        ["integer"] = "int4",
        ["smallint"] = "int2",
        ["bigint"] = "int8",
        ["boolean"] = "bool",
        ["real"] = "float4",
        ["double precision"] = "float8",
        ["float"] = "float8",
        ["serial"] = "int4",
        ["bigserial"] = "int8",
        ["smallserial"] = "int2",
    };

    /// <summary>Types whose limit (a length, or a precision of fractional seconds) can be raised or removed in place.</summary>
    private static readonly HashSet<string> Widenable = new(StringComparer.Ordinal) { "varchar", "varbit", "timestamp", "timestamptz", "time", "timetz", "interval" };

    /// <summary>Pairs where the old type is binary coercible to the new one (pg_cast castmethod 'b'), in either typmod.</summary>
    private static readonly HashSet<(string From, string To)> BinaryCoercible = new()
    {
        ("varchar", "text"), ("text", "varchar"), ("cidr", "inet"), ("xml", "text"),
    };

    /// <summary>Whether changing a column from <paramref name="from"/> to <paramref name="to"/> rewrites nothing on <paramref name="postgresVersion"/>.</summary>
    /// <param name="from">The column's type as the migrations declare it, or null when it is not known.</param>
    /// <param name="to">The new type as written.</param>
    /// <param name="postgresVersion">The major version the project declares.</param>
    public static bool RewritesNothing(string? from, string? to, int postgresVersion)
    {
        if (Read(from) is not { } old || Read(to) is not { } target)
        {
            return false;
        }

        if (old.Equals(target))
        {
            return true;
        }

        // ReferralOsPostgresVersion cannot tell 9.0 from 9.2, so before 10 only a respelling of the same type is free.
        if (postgresVersion < 10 || old.Array || target.Array)
        {
            return false;
        }

        if (BinaryCoercible.Contains((old.Name, target.Name)) && target.Modifiers.Length == 0)
        {
            return true;
        }

        return old.Name == target.Name && RaisesLimit(old, target);
    }

    /// <summary>The change as a message says it: "from varchar(20) to integer", or "to integer" when the old type is not known.</summary>
    public static string Describe(string? from, string? to) =>
        (from is { Length: > 0 } ? "from " + from + " " : string.Empty) + "to " + (to ?? "another type");

    private static bool RaisesLimit(TypeName old, TypeName target)
    {
        if (target.Modifiers.Length == 0)
        {
            // Removing the limit: varchar(n) → varchar, numeric(p, s) → numeric, timestamp(3) → timestamp.
            return Widenable.Contains(old.Name) || old.Name == "numeric";
        }

        if (old.Modifiers.Length == 0)
        {
            return false;
        }

        if (old.Name == "numeric")
        {
            var oldScale = old.Modifiers.Length > 1 ? old.Modifiers[1] : 0;
            var newScale = target.Modifiers.Length > 1 ? target.Modifiers[1] : 0;
            return oldScale == newScale && target.Modifiers[0] >= old.Modifiers[0];
        }

        return Widenable.Contains(old.Name) && old.Modifiers.Length == 1 && target.Modifiers.Length == 1 && target.Modifiers[0] >= old.Modifiers[0];
    }

    private static TypeName? Read(string? type)
    {
        if (type is null)
        {
            return null;
        }

        var match = Shape.Match(type.Trim().ToLowerInvariant());
        if (!match.Success)
        {
            return null;
        }

        var name = Regex.Replace(match.Groups["name"].Value.Trim(), @"\s+", " ");
        name = Synonyms.TryGetValue(name, out var canonical) ? canonical : name;
        if (match.Groups["zone"].Success)
        {
            var withZone = match.Groups["zone"].Value.IndexOf("without", StringComparison.Ordinal) < 0;
            name = (name, withZone) switch
            {
                ("timestamp", true) => "timestamptz",
                ("time", true) => "timetz",
                _ => name,
            };
        }

        var modifiers = match.Groups["mods"].Success
            ? match.Groups["mods"].Value.Split(',').Select(m => int.Parse(m.Trim(), NumberStyles.None, CultureInfo.InvariantCulture)).ToArray()
            : Array.Empty<int>();
        return new TypeName(name, modifiers, match.Groups["array"].Value.Length > 0);
    }

    private sealed record TypeName(string Name, int[] Modifiers, bool Array)
    {
        public bool Equals(TypeName? other) =>
            other is not null && Name == other.Name && Array == other.Array && Modifiers.AsSpan().SequenceEqual(other.Modifiers);

        public override int GetHashCode() => Name.GetHashCode();
    }
}
