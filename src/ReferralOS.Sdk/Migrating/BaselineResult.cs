namespace ReferralOS.Sdk;

/// <summary>What a baseline recorded.</summary>
/// <param name="Recorded">The migrations recorded as applied, with their compiled checksums, in order; none of them was run.</param>
/// <param name="Duration">How long the whole call took.</param>
public sealed record BaselineResult(IReadOnlyList<Migration> Recorded, TimeSpan Duration)
{
    /// <summary>The last migration recorded: the database is at this version now.</summary>
    public Migration Last => Recorded[^1];
}
