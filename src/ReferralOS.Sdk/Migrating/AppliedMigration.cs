namespace ReferralOS.Sdk;

/// <summary>One migration a run applied (or, in a rollback, reverted), and how long it took.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Duration">How long applying (or reverting) it took.</param>
public sealed record AppliedMigration(string Version, TimeSpan Duration);
