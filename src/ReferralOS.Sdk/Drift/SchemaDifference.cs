namespace ReferralOS.Sdk;

/// <summary>One object that differs between the live database and the schema its applied migrations build.</summary>
/// <param name="Kind">What kind of object it is.</param>
/// <param name="Name">
/// The object, schema-qualified as PostgreSQL prints it: <c>public.tenants</c>, <c>public.tenants.slug</c> for a
/// column, <c>tenants_slug_key on public.tenants</c> for a constraint, trigger or policy, <c>public.touch(uuid)</c>
/// for a function, <c>table public.tenants to app</c> for a grant, <c>on column slug of table public.tenants</c> for a comment.
/// </param>
/// <param name="Expected">Its definition as the migrations build it; null when they do not build it.</param>
/// <param name="Actual">Its definition in the live database; null when the database does not have it.</param>
public sealed record SchemaDifference(SchemaObjectKind Kind, string Name, string? Expected, string? Actual)
{
    /// <summary>Whether the object is missing, unexpected or changed.</summary>
    public DifferenceType Type => Expected is null ? DifferenceType.Unexpected : Actual is null ? DifferenceType.Missing : DifferenceType.Changed;

    /// <summary>One line for a person: the kind, the name and what differs, e.g. <c>column public.tenants.slug changed: expected "character varying(100) NOT NULL", found "text NOT NULL"</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => Type switch
    {
        DifferenceType.Missing => $"{Label} {Name} missing: expected \"{Expected}\"",
        DifferenceType.Unexpected => $"{Label} {Name} unexpected: found \"{Actual}\", which no applied migration creates",
        _ => $"{Label} {Name} changed: expected \"{Expected}\", found \"{Actual}\"",
    };

    private string Label => Kind.ToString().ToLowerInvariant();
}
