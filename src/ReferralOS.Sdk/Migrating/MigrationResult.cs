namespace ReferralOS.Sdk;

/// <summary>What a <c>MigrateAsync</c> call did.</summary>
/// <param name="Applied">The migrations this call applied, in order; empty when the database was up to date.</param>
/// <param name="AlreadyApplied">How many migrations were already applied before this call.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record MigrationResult(IReadOnlyList<AppliedMigration> Applied, int AlreadyApplied, TimeSpan Duration)
{
    /// <summary>True when the call found nothing to apply.</summary>
    public bool WasUpToDate => Applied.Count == 0;
}
