namespace ReferralOS.Sdk;

/// <summary>What <see cref="SchemaMigrator.ExplainAsync"/> explains and on what copy.</summary>
public sealed record ExplainOptions
{
    /// <summary>Explain only this pending migration (<c>--only</c>); the ones pending before it are applied to the scratch copy first, unexplained. Null: every pending migration.</summary>
    public string? Only { get; init; }

    /// <summary>
    /// Build the scratch database as a copy of this database (schema and data) instead of from the catalogue: the
    /// target's own name (<c>--from-clone</c>), or a template such as the testing kit's. The role must own it, and
    /// nobody may be connected to it while it is copied. Null (the default): an empty database on the target's server,
    /// migrated to what the target has applied.
    /// </summary>
    public string? Template { get; init; }
}
