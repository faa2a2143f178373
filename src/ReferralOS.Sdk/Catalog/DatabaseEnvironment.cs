namespace ReferralOS.Sdk;

/// <summary>The environment a database serves. Seeds run in development and test only; reset and rollback in development only.</summary>
public enum DatabaseEnvironment
{
    /// <summary>A developer's database: migrations, seeds, reset and rollback are all allowed.</summary>
    Development,

    /// <summary>A test database: migrations and seeds.</summary>
    Test,

    /// <summary>A production database: migrations only. Seeds, reset and rollback are refused.</summary>
    Production,
}
