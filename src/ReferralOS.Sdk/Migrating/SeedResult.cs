namespace ReferralOS.Sdk;

/// <summary>What a <c>SeedAsync</c> call did.</summary>
/// <param name="Environment">The environment the seeds ran for.</param>
/// <param name="Seeds">The seeds that ran, in order.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record SeedResult(DatabaseEnvironment Environment, IReadOnlyList<SeededScript> Seeds, TimeSpan Duration)
{
    /// <summary>Rows inserted by all seeds together.</summary>
    public int RowsInserted => Seeds.Sum(s => s.RowsInserted);
}
