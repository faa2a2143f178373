namespace ReferralOS.Sdk;

/// <summary>
/// What <see cref="SchemaMigrator.DetectDriftAsync(CancellationToken)"/> found: every object of the live database that differs from the schema
/// its applied migrations build, compared one by one as PostgreSQL deparses each definition.
/// </summary>
/// <param name="Differences">Each difference, ordered by kind and name; empty when there is no drift.</param>
/// <param name="Compared">The migrations the expected schema was built from: those the database records as applied, in order.</param>
/// <param name="Duration">How long the comparison took, scratch database included.</param>
public sealed record DriftReport(IReadOnlyList<SchemaDifference> Differences, IReadOnlyList<string> Compared, TimeSpan Duration)
{
    /// <summary>True when some object differs.</summary>
    public bool HasDrift => Differences.Count > 0;
}
