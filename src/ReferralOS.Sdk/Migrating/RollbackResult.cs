namespace ReferralOS.Sdk;

/// <summary>What a <c>RollbackAsync</c> call did.</summary>
/// <param name="RolledBack">The migrations reverted, newest first; their history rows are gone.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record RollbackResult(IReadOnlyList<AppliedMigration> RolledBack, TimeSpan Duration);
