namespace ReferralOS.Sdk;

/// <summary>What <see cref="SchemaMigrator.StatusManyAsync"/> read from one target.</summary>
/// <param name="Name">The target's <see cref="FleetTarget.Name"/>.</param>
/// <param name="Status">The target's migrations and whether it is up to date; null when it could not be read.</param>
/// <param name="Error">Why it could not be read (unreachable, another tool's history table), null otherwise; a history that migrate would refuse is <see cref="SchemaStatus.Problem"/>, not an error.</param>
/// <param name="Duration">How long the read took, from opening its connection to the end.</param>
public sealed record FleetStatusResult(string Name, SchemaStatus? Status, Exception? Error, TimeSpan Duration);
