namespace ReferralOS.Sdk;

/// <summary>What migrating one target of a fleet came to.</summary>
public enum FleetOutcome
{
    /// <summary>Pending migrations were applied; the target is now up to date.</summary>
    Applied,

    /// <summary>Nothing was pending.</summary>
    UpToDate,

    /// <summary>The target could not be migrated: unreachable, refused (an edited migration, a gap, the lock held too long) or a statement failed. The error says which.</summary>
    Failed,
}
