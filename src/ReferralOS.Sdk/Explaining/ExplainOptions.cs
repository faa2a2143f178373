namespace ReferralOS.Sdk;

/// <summary>What <see cref="SchemaMigrator.ExplainAsync"/> explains and on what copy.</summary>
public sealed record ExplainOptions
{
    /// <summary>Explain only this pending migration (<c>--only</c>); the ones pending before it are applied to the scratch copy first, unexplained. Null: every pending migration.</summary>
    public string? Only { get; init; }

    /// <summary>
    /// Build the scratch database as a copy of this database (schema and data) instead of from the catalog: the
    /// target's own name (<c>--from-clone</c>), or a template such as the testing kit's. The role must own it, and
    /// nobody may be connected to it while it is copied. Null (the default): an empty database on the target's server,
    /// migrated to what the target has applied.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>
    /// A snapshot of the database the migrations will meet (<c>--stats</c>): each measured duration is scaled by the
    /// rows the snapshot records in the tables a statement locks or rewrites against the rows the scratch copy has, into
    /// <see cref="ExplainedStatement.PredictedDuration"/> and <see cref="ExplainedStatement.PredictedHeldFor"/>. Null: no prediction.
    /// </summary>
    public DatabaseStatistics? Statistics { get; init; }

    /// <summary>
    /// Before the first explained migration, fill each table of the scratch copy with up to this many synthetic rows
    /// (<c>--rows</c>; never more than <see cref="Statistics"/> records for it): values that suit each column's type,
    /// NOT NULL and simple CHECK lists, unique, and foreign keys that point at rows of the parents, which are filled first.
    /// A row that still breaks a constraint is skipped. 0 (the default): no rows are added.
    /// </summary>
    public int SyntheticRows { get; init; }
}
