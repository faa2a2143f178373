namespace ReferralOS.Sdk;

/// <summary>Every migration the code or the database knows, in version order.</summary>
/// <param name="Migrations">One entry per migration.</param>
public sealed record SchemaStatus(IReadOnlyList<MigrationStatus> Migrations)
{
    /// <summary>The migrations not applied yet.</summary>
    public IReadOnlyList<MigrationStatus> Pending => Migrations.Where(m => m.State == MigrationState.Pending).ToArray();

    /// <summary>The migrations applied with matching checksums, repaired ones included.</summary>
    public IReadOnlyList<MigrationStatus> Applied => Migrations.Where(m => m.State is MigrationState.Applied or MigrationState.Repaired).ToArray();

    /// <summary>True when the database is marked production: seeding, reset and rollback are refused.</summary>
    public bool IsProduction { get; init; }

    /// <summary>
    /// Why <c>MigrateAsync</c> would refuse this history, as it would say it — an edited or unknown migration, a gap, a
    /// migration pending below applied ones, a row without a checksum — or null when it would run.
    /// </summary>
    public MigrationException? Problem { get; init; }

    /// <summary>
    /// Indexes that exist INVALID in the database, schema-qualified: left by an interrupted CREATE INDEX CONCURRENTLY
    /// (or being built by a session right now). The planner ignores them and every write still maintains them.
    /// </summary>
    public IReadOnlyList<string> InvalidIndexes { get; init; } = [];

    /// <summary>True when every migration is applied (or repaired) with its compiled checksum, the database holds nothing else, and no index is INVALID.</summary>
    public bool IsUpToDate => Problem is null && InvalidIndexes.Count == 0 && Migrations.All(m => m.State is MigrationState.Applied or MigrationState.Repaired);
}
