namespace ReferralOS.Sdk;

/// <summary>How a live object differs from the one the migrations build.</summary>
public enum DifferenceType
{
    /// <summary>The migrations build it; the database does not have it.</summary>
    Missing,

    /// <summary>The database has it; the migrations do not build it.</summary>
    Unexpected,

    /// <summary>Both have it, with different definitions.</summary>
    Changed,
}
