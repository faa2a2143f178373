namespace ReferralOS.Sdk;

/// <summary>What <see cref="SchemaMigrator.DetectDriftManyAsync"/> found in one target.</summary>
/// <param name="Name">The target's <see cref="FleetTarget.Name"/>.</param>
/// <param name="Report">The target's differences; null when it could not be compared.</param>
/// <param name="Error">Why it could not be compared (unreachable, no CREATEDB, a migration that fails in the scratch database), null otherwise.</param>
/// <param name="Duration">How long the comparison took, scratch database included.</param>
public sealed record FleetDriftResult(string Name, DriftReport? Report, Exception? Error, TimeSpan Duration);
