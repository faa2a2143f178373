using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// The schemas an unqualified table name resolves against, as <c>SET search_path</c> (or pg_dump's
/// <c>set_config('search_path', …)</c>) leaves them for the rest of a file. A table is known by its key: its name for
/// a table in <c>public</c>, <c>schema.name</c> in any other schema, so <c>a.items</c> and <c>b.items</c> are two tables
/// and <c>public.items</c> is <c>items</c>.
/// </summary>
internal sealed record SearchPath(EquatableArray<string> Schemas)
{
    /// <summary>PostgreSQL's default, <c>"$user", public</c>.</summary>
    public static readonly SearchPath Default = new(new[] { "$user", "public" }.ToEquatableArray());

    /// <summary>A path of one schema: where the elements of <c>CREATE SCHEMA name CREATE TABLE …</c> go.</summary>
    public static SearchPath Only(string schema) => new(new[] { schema }.ToEquatableArray());

    /// <summary>The key of a table in a schema.</summary>
    public static string Key(string schema, string name) => schema == "public" ? name : schema + "." + name;

    /// <summary>Whether a schema holds the system's tables, which no migration creates.</summary>
    public static bool IsSystem(string? schema) => schema is "pg_catalog" or "information_schema" or "pg_toast";

    /// <summary>
    /// The key a name has where it is created: its own schema, else the first schema of the path that a migration can
    /// create in (not <c>$user</c>, which is rarely a schema, nor the system's), else <c>public</c>.
    /// </summary>
    public string KeyFor(string? schema, string name) => Key(schema ?? CreationSchema, name);

    /// <summary>The keys an existing table may have, in the order PostgreSQL looks: the qualified one, or one a schema of the path.</summary>
    public EquatableArray<string> Candidates(string? schema, string name)
    {
        if (schema is not null)
        {
            return new[] { Key(schema, name) }.ToEquatableArray();
        }

        var keys = Schemas.Where(IsSearched).Select(s => Key(s, name)).Distinct().ToArray();
        return (keys.Length == 0 ? new[] { Key("public", name) } : keys).ToEquatableArray();
    }

    private string CreationSchema => Schemas.FirstOrDefault(IsSearched) ?? "public";

    private static bool IsSearched(string schema) => schema.Length > 0 && schema != "$user" && !schema.StartsWith("pg_", StringComparison.Ordinal) && !IsSystem(schema);
}
