namespace ReferralOS.Sdk.Testing;

/// <summary>Which PostgreSQL server <see cref="TestPostgresServer.StartAsync"/> uses. The defaults pick one by themselves.</summary>
public sealed record TestPostgresServerOptions
{
    /// <summary>
    /// Use only this source; null (the default) tries, in order, <see cref="TestServerSource.ConnectionString"/>,
    /// <see cref="TestServerSource.Testcontainers"/> and <see cref="TestServerSource.LocalBinaries"/>.
    /// </summary>
    public TestServerSource? Source { get; init; }

    /// <summary>
    /// A connection string to a server you already have, as a user that may create databases; null (the default)
    /// reads <see cref="TestPostgresServer.ConnectionStringVariable"/>.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The Docker image Testcontainers runs. Default <c>postgres:15-alpine</c>.</summary>
    public string ContainerImage { get; init; } = "postgres:15-alpine";
}
