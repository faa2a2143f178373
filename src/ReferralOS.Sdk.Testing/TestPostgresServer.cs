using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.Local;
using Testcontainers.PostgreSql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// The PostgreSQL server a test run uses, chosen in order: the connection string in
/// <c>REFERRALOS_TEST_DATABASE</c>; a Testcontainers container when a Docker engine answers; else a throwaway
/// cluster from the machine's PostgreSQL binaries. Start it once per run and dispose it at the end. Whatever the
/// source, every test then gets a database of its own from <see cref="CreateDatabaseAsync"/>, and nothing is left
/// behind: a cluster or container the kit started is stopped and deleted (the local cluster even when the test
/// process is killed), and on a server that outlives the run the run's databases are dropped — by the next run,
/// if this one was killed. Needs PostgreSQL 13 or later.
/// </summary>
public sealed class TestPostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable holding a connection string to a server to test against.</summary>
    public const string ConnectionStringVariable = "REFERRALOS_TEST_DATABASE";

    // Tuned for throwaway data: nothing needs to survive a crash, so nothing waits for the disk.
    private static readonly string[] ContainerSettings = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"];

    // About two seconds of one-millisecond waits for a database's backends to exit before DROP DATABASE, which
    // then ends whatever is left itself.
    private const int BackendExitPolls = 1000;

    private readonly IAsyncDisposable? _owned;
    private readonly NpgsqlDataSource _admin;
    private readonly TestRunLock _run;
    private readonly TemplateDatabases _templates;
    private readonly string _cloneStrategy;
    private int _databaseCount;

    private TestPostgresServer(TestServerSource source, string connectionString, IAsyncDisposable? owned, NpgsqlDataSource admin, TestRunLock run, string cloneStrategy)
    {
        Source = source;
        ConnectionString = connectionString;
        _owned = owned;
        _admin = admin;
        _run = run;
        _cloneStrategy = cloneStrategy;
        _templates = new TemplateDatabases(admin, Describe(source, connectionString));
    }

    /// <summary>Where the server came from.</summary>
    public TestServerSource Source { get; }

    /// <summary>A connection string to the server's maintenance database, as a user that may create databases.</summary>
    public string ConnectionString { get; }

    /// <summary>Finds or starts a server: the one <paramref name="options"/> names, else the first of the sources in the class summary that is there.</summary>
    /// <param name="options">Which source to use; null to choose by itself.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The server; dispose it when the run ends.</returns>
    /// <exception cref="TestPostgresException">No server could be had from the sources allowed; the message says what to do.</exception>
    /// <exception cref="LocalPostgresException">The local cluster was asked for and could not be started.</exception>
    public static async Task<TestPostgresServer> StartAsync(TestPostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestPostgresServerOptions();
        var connectionString = options.ConnectionString ?? (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        switch (options.Source)
        {
            case null when connectionString is not null:
            case TestServerSource.ConnectionString:
                return await AttachAsync(
                    TestServerSource.ConnectionString,
                    connectionString ?? throw new TestPostgresException($"The connection-string source was asked for, but no connection string was given: set {ConnectionStringVariable} (e.g. Host=localhost;Username=postgres;Password=…;Database=postgres) or pass one in {nameof(TestPostgresServerOptions)}.{nameof(TestPostgresServerOptions.ConnectionString)}."),
                    owned: null,
                    cancellationToken).ConfigureAwait(false);

            case null when await DockerEngine.AnswersAsync(cancellationToken).ConfigureAwait(false):
            case TestServerSource.Testcontainers:
                return await StartContainerAsync(options.ContainerImage, cancellationToken).ConfigureAwait(false);

            case null:
                try
                {
                    return await StartLocalAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (LocalPostgresException ex)
                {
                    throw new TestPostgresException(
                        $"No PostgreSQL server for the tests: {ConnectionStringVariable} is not set, no Docker engine answered, and a cluster from the local binaries could not be started ({ex.Message}). " +
                        $"Set {ConnectionStringVariable} to a connection string of a server you have, start Docker, or install the PostgreSQL server binaries.",
                        ex);
                }

            default:
                return await StartLocalAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates a database of the test's own: cloned from a template that holds the catalogue's migrations (and
    /// seeds), built once per catalogue and server and reused while the catalogue's checksums stay the same.
    /// </summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What the database holds; migrated and seeded by default.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    /// <exception cref="TestPostgresException">The template could not be built: a migration or seed failed.</exception>
    public async Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, TestDatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= TestDatabaseOptions.Seeded;
        var template = options.Migrate ? await _templates.GetAsync(catalog, options.Seed, cancellationToken).ConfigureAwait(false) : null;
        var name = _run.Prefix + Interlocked.Increment(ref _databaseCount).ToString(CultureInfo.InvariantCulture);
        var from = template is null ? string.Empty : " TEMPLATE " + SqlIdentifier.Quote(template);
        await ExecuteAsync($"CREATE DATABASE {SqlIdentifier.Quote(name)}{from}{_cloneStrategy}", cancellationToken).ConfigureAwait(false);
        return new TestDatabase(this, name, template, ConnectionStringFor(name));
    }

    /// <summary>A connection string to another database on this server, with the same credentials.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// Ends the run: drops the databases of this run that are still there (a test that did not dispose its own),
    /// and stops and deletes the cluster or container the kit started. Templates stay on a server that outlives the run.
    /// </summary>
    /// <returns>A task that completes when everything is cleaned up.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_owned is null)
        {
            foreach (var database in await TestRunLock.DatabasesStartingWithAsync(_admin, _run.Prefix, CancellationToken.None).ConfigureAwait(false))
            {
                await DropDatabaseAsync(database, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await _run.DisposeAsync().ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        // A connection closed a moment ago still has a backend on its way out, and DROP DATABASE waits for such a
        // backend in steps of 100 ms: most of the cost of handing out a database, when measured. Ending the
        // database's backends and waiting for them here, a millisecond at a time, makes the drop itself take a few.
        await using (var terminate = _admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"))
        {
            terminate.Parameters.Add(new() { Value = name });
            await terminate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var connected = _admin.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid())"))
        {
            connected.Parameters.Add(new() { Value = name });
            for (var wait = 0; wait < BackendExitPolls && await connected.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true; wait++)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }

        await ExecuteAsync($"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(name)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TestPostgresServer> StartContainerAsync(string image, CancellationToken cancellationToken)
    {
        if (!await DockerEngine.AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new TestPostgresException($"The Testcontainers source was asked for, but no Docker engine answered at {DockerEngine.Endpoint}. Start Docker (or set DOCKER_HOST), or choose another {nameof(TestServerSource)}.");
        }

        var container = new PostgreSqlBuilder(image)
            .WithCommand(ContainerSettings)
            .WithTmpfsMount("/var/lib/postgresql/data")
            .Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            return await AttachAsync(TestServerSource.Testcontainers, container.GetConnectionString(), container, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<TestPostgresServer> StartLocalAsync(CancellationToken cancellationToken)
    {
        var local = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions
            {
                DataDirectory = Path.Combine(LocalDataRoot(), "referralos-test-" + Guid.NewGuid().ToString("N")[..12]),
                Ephemeral = true,
                StopWhenProcessExits = true,
            },
            cancellationToken).ConfigureAwait(false);
        try
        {
            return await AttachAsync(TestServerSource.LocalBinaries, local.ConnectionString, local, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await local.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Memory when the machine has a RAM disk with room: creating and dropping a database is mostly creating and
    /// deleting a few hundred small files, which a disk file system makes several times slower and far less even
    /// (docs/benchmarks.md, "Testing kit").
    /// </summary>
    private static string LocalDataRoot()
    {
        const string ramDisk = "/dev/shm";
        const long roomNeeded = 1L << 30;
        try
        {
            if (OperatingSystem.IsLinux() && Directory.Exists(ramDisk) && new DriveInfo(ramDisk).AvailableFreeSpace >= roomNeeded)
            {
                return ramDisk;
            }
        }
        catch (IOException)
        {
            // Not a usable RAM disk; the temp folder will do.
        }

        return Path.GetTempPath();
    }

    private static async Task<TestPostgresServer> AttachAsync(TestServerSource source, string connectionString, IAsyncDisposable? owned, CancellationToken cancellationToken)
    {
        var admin = DataSources.Create(connectionString);
        TestRunLock? run = null;
        try
        {
            string cloneStrategy;
            await using (var connection = await admin.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var fsync = new NpgsqlCommand("SHOW fsync", connection))
            {
                // FILE_COPY copies the template's files and checkpoints, WAL_LOG (the default since 15) writes every
                // page of it to the WAL. With fsync off a checkpoint costs next to nothing and FILE_COPY is the faster
                // for a small schema (docs/benchmarks.md); with fsync on, the checkpoints of a shared server cost more.
                var fsyncOff = (string?)await fsync.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) == "off";
                cloneStrategy = connection.PostgreSqlVersion.Major >= 15 && fsyncOff ? " STRATEGY FILE_COPY" : string.Empty;
            }

            run = await TestRunLock.TakeAsync(connectionString, cancellationToken).ConfigureAwait(false);
            var server = new TestPostgresServer(source, connectionString, owned, admin, run, cloneStrategy);
            foreach (var orphan in await TestRunLock.OrphanedDatabasesAsync(admin, cancellationToken).ConfigureAwait(false))
            {
                await server.DropDatabaseAsync(orphan, cancellationToken).ConfigureAwait(false);
            }

            return server;
        }
        catch
        {
            if (run is not null)
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }

            await admin.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Describe(TestServerSource source, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port} ({source})";
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
