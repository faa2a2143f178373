namespace ReferralOS.Sdk.Testing;

/// <summary>
/// Which PostgreSQL server <see cref="TestPostgresServer.StartAsync"/> uses, and how tests use it. The defaults pick a
/// server by themselves; the two switches default to their environment variables, so a run can turn them on without
/// a code change.
/// </summary>
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

    /// <summary>
    /// Keep the database of a failed test instead of dropping it, renamed <c>referralos_kept_…</c> so no later run
    /// drops it, and print its connection string to the test's output (<see cref="TestDatabase.FinishAsync"/>).
    /// On the kit's own local cluster, a run that kept a database leaves the cluster running for you to look at.
    /// Default: whether <see cref="TestPostgresServer.KeepFailedDatabasesVariable"/> is <c>1</c>.
    /// </summary>
    public bool KeepFailedDatabases { get; init; } = EnvironmentFlag.IsSet(TestPostgresServer.KeepFailedDatabasesVariable);

    /// <summary>
    /// Tests connect as a role of this run's own that owns its database, schemas and objects but is not a superuser
    /// and may not create databases or roles, so a test cannot pass only because it runs as a superuser. Needs a
    /// superuser to start from (the kit's own servers are; a <see cref="ConnectionString"/> user must be one).
    /// Default: whether <see cref="TestPostgresServer.NonSuperuserVariable"/> is <c>1</c>.
    /// </summary>
    public bool NonSuperuser { get; init; } = EnvironmentFlag.IsSet(TestPostgresServer.NonSuperuserVariable);

    /// <summary>
    /// How many spare databases of each template the run keeps ready, cloned in the background, so that a test is
    /// handed one at once instead of waiting for a clone. A test never gets a database another test had: each is
    /// dropped, in the background, when its test ends. 0 keeps none: each test waits for its own clone. Default
    /// (null): twice the processor count (the test frameworks run about one test per processor at a time), at most 16.
    /// </summary>
    public int? DatabasePoolSize { get; init; }

    /// <summary>The pool size when <see cref="DatabasePoolSize"/> is null.</summary>
    internal static int DefaultDatabasePoolSize => Math.Min(2 * Environment.ProcessorCount, 16);
}
