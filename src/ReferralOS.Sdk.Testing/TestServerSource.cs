namespace ReferralOS.Sdk.Testing;

/// <summary>Where the test PostgreSQL server came from.</summary>
public enum TestServerSource
{
    /// <summary>The connection string in <c>REFERRALOS_TEST_DATABASE</c>.</summary>
    ConnectionString,

    /// <summary>A container started through Testcontainers, because a Docker engine answered.</summary>
    Testcontainers,

    /// <summary>A throwaway cluster started from the machine's PostgreSQL binaries.</summary>
    LocalBinaries,
}
