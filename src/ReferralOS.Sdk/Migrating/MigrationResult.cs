namespace ReferralOS.Sdk;

/// <summary>One migration a run applied (or, in a rollback, reverted), and how long it took.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Duration">How long applying (or reverting) it took.</param>
public sealed record AppliedMigration(string Version, TimeSpan Duration);

/// <summary>What a <c>MigrateAsync</c> call did.</summary>
/// <param name="Applied">The migrations this call applied, in order; empty when the database was up to date.</param>
/// <param name="AlreadyApplied">How many migrations were already applied before this call.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record MigrationResult(IReadOnlyList<AppliedMigration> Applied, int AlreadyApplied, TimeSpan Duration)
{
    /// <summary>True when the call found nothing to apply.</summary>
    public bool WasUpToDate => Applied.Count == 0;
}

/// <summary>What a <c>RollbackAsync</c> call did.</summary>
/// <param name="RolledBack">The migrations reverted, newest first; their history rows are gone.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record RollbackResult(IReadOnlyList<AppliedMigration> RolledBack, TimeSpan Duration);

/// <summary>One seed a run executed and the rows it inserted (rows that already existed are not counted).</summary>
/// <param name="Version">The seed's version.</param>
/// <param name="RowsInserted">Rows its INSERT statements wrote.</param>
/// <param name="Duration">How long it took.</param>
public sealed record SeededScript(string Version, int RowsInserted, TimeSpan Duration);

/// <summary>What a <c>SeedAsync</c> call did.</summary>
/// <param name="Environment">The environment the seeds ran for.</param>
/// <param name="Seeds">The seeds that ran, in order.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record SeedResult(SchemaEnvironment Environment, IReadOnlyList<SeededScript> Seeds, TimeSpan Duration)
{
    /// <summary>Rows inserted by all seeds together.</summary>
    public int RowsInserted => Seeds.Sum(s => s.RowsInserted);
}

/// <summary>Where a migration stands against a database.</summary>
public enum MigrationState
{
    /// <summary>Applied, with the checksum the code has.</summary>
    Applied,

    /// <summary>Not applied yet.</summary>
    Pending,

    /// <summary>Applied, but the file was edited afterwards: the recorded checksum differs.</summary>
    ChecksumMismatch,

    /// <summary>Recorded by the database but unknown to the code.</summary>
    Unknown,
}

/// <summary>One migration's status.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Checksum">The compiled checksum; null for a version the code does not know.</param>
/// <param name="AppliedChecksum">The checksum the database recorded; null when not applied.</param>
/// <param name="AppliedAt">When the database applied it; null when not applied.</param>
public sealed record MigrationStatus(string Version, MigrationState State, string? Checksum, string? AppliedChecksum, DateTimeOffset? AppliedAt);

/// <summary>Every migration the code or the database knows, in version order.</summary>
/// <param name="Migrations">One entry per migration.</param>
public sealed record SchemaStatus(IReadOnlyList<MigrationStatus> Migrations)
{
    /// <summary>The migrations not applied yet.</summary>
    public IReadOnlyList<MigrationStatus> Pending => Migrations.Where(m => m.State == MigrationState.Pending).ToArray();

    /// <summary>The migrations applied with matching checksums.</summary>
    public IReadOnlyList<MigrationStatus> Applied => Migrations.Where(m => m.State == MigrationState.Applied).ToArray();

    /// <summary>True when the database is marked production: seeding, reset and rollback are refused.</summary>
    public bool IsProduction { get; init; }

    /// <summary>
    /// Why <c>MigrateAsync</c> would refuse this history, as it would say it — an edited or unknown migration, a gap, a
    /// migration pending below applied ones, a row without a checksum — or null when it would run.
    /// </summary>
    public SchemaMigrationException? Problem { get; init; }

    /// <summary>
    /// Indexes that exist INVALID in the database, schema-qualified: left by an interrupted CREATE INDEX CONCURRENTLY
    /// (or being built by a session right now). The planner ignores them and every write still maintains them.
    /// </summary>
    public IReadOnlyList<string> InvalidIndexes { get; init; } = [];

    /// <summary>True when every migration is applied with its compiled checksum, the database holds nothing else, and no index is INVALID.</summary>
    public bool IsUpToDate => Problem is null && InvalidIndexes.Count == 0 && Migrations.All(m => m.State == MigrationState.Applied);
}
