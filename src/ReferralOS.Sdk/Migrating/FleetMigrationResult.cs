namespace ReferralOS.Sdk;

/// <summary>What <see cref="SchemaMigrator.MigrateManyAsync"/> did to one target.</summary>
/// <param name="Name">The target's <see cref="FleetTarget.Name"/>.</param>
/// <param name="Outcome">Applied, up to date, or failed.</param>
/// <param name="Result">What was applied; null when the target failed.</param>
/// <param name="Error">
/// Why the target failed, null otherwise: the exception <see cref="SchemaMigrator.MigrateAsync(CancellationToken)"/> raised for it,
/// nearly always a <see cref="MigrationException"/> whose type says what kind of failure (<see cref="DatabaseConnectionException"/>,
/// <see cref="MigrationFailedException"/>, <see cref="MigrationChecksumMismatchException"/>, …) and whose message says what to do.
/// What a failed migration had done rolled back with it, so that the next run starts that target where it stopped.
/// </param>
/// <param name="Duration">How long the target took, from opening its connection to the end.</param>
public sealed record FleetMigrationResult(string Name, FleetOutcome Outcome, MigrationResult? Result, Exception? Error, TimeSpan Duration)
{
    /// <summary>How many migrations this run applied to the target; 0 when it was up to date or failed.</summary>
    public int AppliedCount => Result?.Applied.Count ?? 0;
}
