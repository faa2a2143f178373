using System.Collections.Concurrent;
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

    /// <summary>The environment variable that turns on <see cref="TestPostgresServerOptions.KeepFailedDatabases"/> when <c>1</c>.</summary>
    public const string KeepFailedDatabasesVariable = "REFERRALOS_KEEP_FAILED_DATABASES";

    /// <summary>The environment variable that turns on <see cref="TestPostgresServerOptions.NonSuperuser"/> when <c>1</c>.</summary>
    public const string NonSuperuserVariable = "REFERRALOS_TEST_NON_SUPERUSER";

    /// <summary>A kept database's name starts with this instead of <c>referralos_test_</c>, so that no run drops it.</summary>
    internal const string KeptPrefix = "referralos_kept_";

    // Tuned for throwaway data: nothing needs to survive a crash, so nothing waits for the disk.
    private static readonly string[] ContainerSettings = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"];

    // About two seconds of one-millisecond waits for a database's backends to exit before DROP DATABASE, which
    // then ends whatever is left itself.
    private const int BackendExitPolls = 1000;

    // How long a process's exit waits for the run's clean-up when the run was not disposed.
    private static readonly TimeSpan ProcessExitCleanup = TimeSpan.FromSeconds(10);

    private readonly IAsyncDisposable? _owned;
    private readonly NpgsqlDataSource _admin;
    private readonly NpgsqlDataSource _background;
    private readonly TestRunLock _run;
    private readonly TemplateDatabases _templates;
    private readonly string _cloneStrategy;
    private readonly bool _keepFailedDatabases;
    private readonly DatabaseOwnerRole? _owner;
    private readonly int _poolSize;
    private readonly ConcurrentDictionary<string, Lazy<DatabasePool>> _pools = new(StringComparer.Ordinal);
    private readonly BackgroundDrops _drops;
    private int _databaseCount;
    private int _keptCount;
    private int _disposed;

    private TestPostgresServer(ServerChoice choice, string connectionString, IAsyncDisposable? owned, NpgsqlDataSource admin, TestRunLock run, string cloneStrategy, string version, TestPostgresServerOptions options, DatabaseOwnerRole? owner)
    {
        Source = choice.Source;
        ConnectionString = connectionString;
        _owned = owned;
        _admin = admin;

        // The pool's clones and the background drops name the run, so that a later run can tell the ones a killed
        // run left under way (TestRunLock.EndOrphanedBackendsAsync).
        _background = DataSources.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = run.Prefix + "pool" }.ConnectionString);
        _run = run;
        _cloneStrategy = cloneStrategy;
        _keepFailedDatabases = options.KeepFailedDatabases;
        _poolSize = options.DatabasePoolSize ?? TestPostgresServerOptions.DefaultDatabasePoolSize;
        _owner = owner;
        _drops = new BackgroundDrops(name => DropDatabaseAsync(_background, name, CancellationToken.None));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Endpoint = $"{builder.Host}:{builder.Port} ({choice.Source})";
        Description = $"PostgreSQL {version} at {builder.Host}:{builder.Port}, {choice.What}, because {choice.Why}." +
            (owner is null ? string.Empty : $" Tests log in as {owner.Name}, which owns its database and is not a superuser ({nameof(TestPostgresServerOptions.NonSuperuser)}).");
        _templates = new TemplateDatabases(admin, Endpoint);

        // A run whose test framework never disposes it still drops its spares when the process exits.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Where the server came from.</summary>
    public TestServerSource Source { get; }

    /// <summary>A connection string to the server's maintenance database, as a user that may create databases.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Which server this is and why the kit chose it, in one line for a test log, e.g. <c>PostgreSQL 15.14 at
    /// 127.0.0.1:41234, a throwaway cluster from the binaries in /usr/lib/postgresql/15/bin, because
    /// REFERRALOS_TEST_DATABASE is not set and no Docker engine answered at unix:///var/run/docker.sock.</c>
    /// With <see cref="TestPostgresServerOptions.NonSuperuser"/> it also names the role the tests log in as.
    /// </summary>
    public string Description { get; }

    /// <summary>Host, port and source, for messages.</summary>
    internal string Endpoint { get; }

    /// <summary>Finds or starts a server: the one <paramref name="options"/> names, else the first of the sources in the class summary that is there.</summary>
    /// <param name="options">Which source to use; null to choose by itself.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The server; dispose it when the run ends.</returns>
    /// <exception cref="TestPostgresException">No server could be had from the sources allowed; the message says what to do.</exception>
    /// <exception cref="LocalPostgresException">The local cluster was asked for and could not be started.</exception>
    public static async Task<TestPostgresServer> StartAsync(TestPostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestPostgresServerOptions();
        if (options.DatabasePoolSize is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DatabasePoolSize, $"{nameof(TestPostgresServerOptions.DatabasePoolSize)} is how many spare databases to keep per template: 0 or more, or null for the default.");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } variable ? variable : null;
        var connectionString = options.ConnectionString ?? fromEnvironment;
        const string Asked = $"{nameof(TestPostgresServerOptions)}.{nameof(TestPostgresServerOptions.Source)} asks for it";
        switch (options.Source)
        {
            case null when connectionString is not null:
            case TestServerSource.ConnectionString:
                var named = options.ConnectionString is not null ? $"{nameof(TestPostgresServerOptions)}.{nameof(TestPostgresServerOptions.ConnectionString)}" : ConnectionStringVariable;
                return await AttachAsync(
                    new ServerChoice(TestServerSource.ConnectionString, $"the server {named} names", options.Source is null ? $"{named} is set, which comes first" : Asked),
                    connectionString ?? throw new TestPostgresException($"The connection-string source was asked for, but no connection string was given: set {ConnectionStringVariable} (e.g. Host=localhost;Username=postgres;Password=…;Database=postgres) or pass one in {nameof(TestPostgresServerOptions)}.{nameof(TestPostgresServerOptions.ConnectionString)}."),
                    owned: null,
                    options,
                    cancellationToken).ConfigureAwait(false);

            case null when await DockerEngine.AnswersAsync(cancellationToken).ConfigureAwait(false):
                return await StartContainerAsync(options, $"{ConnectionStringVariable} is not set and a Docker engine answered at {DockerEngine.Endpoint}", cancellationToken).ConfigureAwait(false);

            case TestServerSource.Testcontainers:
                return await StartContainerAsync(options, Asked, cancellationToken).ConfigureAwait(false);

            case null:
                try
                {
                    return await StartLocalAsync(options, $"{ConnectionStringVariable} is not set and no Docker engine answered at {DockerEngine.Endpoint}", cancellationToken).ConfigureAwait(false);
                }
                catch (LocalPostgresException ex)
                {
                    throw new TestPostgresException(
                        $"No PostgreSQL server for the tests: {ConnectionStringVariable} is not set, no Docker engine answered, and a cluster from the local binaries could not be started ({ex.Message}). " +
                        $"Set {ConnectionStringVariable} to a connection string of a server you have, start Docker, or install the PostgreSQL server binaries.",
                        ex);
                }

            default:
                return await StartLocalAsync(options, Asked, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands the test a database of its own: a clone of a template that holds the catalog's migrations (and
    /// seeds), built once per catalog and server and reused while the catalog's checksums stay the same. The clone
    /// comes from the template's pool of spares, made ahead in the background
    /// (<see cref="TestPostgresServerOptions.DatabasePoolSize"/>), and is the test's alone: no other test gets it.
    /// </summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What the database holds; migrated and seeded by default.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    /// <exception cref="TestPostgresException">The template could not be built (a migration or seed failed), or the clone could not be made.</exception>
    public async Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, TestDatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        options ??= TestDatabaseOptions.Seeded;
        var template = options.Migrate ? await _templates.GetAsync(catalog, options.Seed, cancellationToken).ConfigureAwait(false) : null;

        // With a non-superuser owner, the clones come from the run's copy of the template, which the role owns.
        var source = _owner is null ? template : await _owner.TemplateAsync(template, _cloneStrategy, cancellationToken).ConfigureAwait(false);
        var pool = _pools.GetOrAdd(source ?? string.Empty, _ => new Lazy<DatabasePool>(() => new DatabasePool(_poolSize, () => CloneAsync(source)))).Value;
        var name = await pool.TakeAsync(cancellationToken).ConfigureAwait(false);
        return new TestDatabase(this, name, template, _owner is null ? ConnectionStringFor(name) : _owner.ConnectionStringFor(ConnectionString, name));
    }

    /// <summary>A connection string to another database on this server, with the same credentials.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// Ends the run: stops the pools' refills, drops the spares and the databases of this run that are still there (a
    /// test that did not dispose its own) and its role, and stops and deletes the cluster or container the kit started.
    /// Templates stay on a server that outlives the run, and so do kept databases; a local cluster the kit started stays
    /// running when it holds one. A run that is never disposed does the same when its process exits.
    /// </summary>
    /// <returns>A task that completes when everything is cleaned up.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;

        // Every clone under way finishes and every queued drop is done before the run's names are swept.
        foreach (var pool in _pools.Values.Where(pool => pool.IsValueCreated))
        {
            await pool.Value.DisposeAsync().ConfigureAwait(false);
        }

        await _drops.CompleteAsync().ConfigureAwait(false);
        var keepCluster = _owned is LocalPostgresServer && Volatile.Read(ref _keptCount) > 0;
        if (_owned is null || keepCluster)
        {
            foreach (var database in await TestRunLock.DatabasesStartingWithAsync(_admin, _run.Prefix, CancellationToken.None).ConfigureAwait(false))
            {
                await DropDatabaseAsync(database, CancellationToken.None).ConfigureAwait(false);
            }

            if (_owner is not null)
            {
                await _owner.DropAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        await _run.DisposeAsync().ConfigureAwait(false);
        await _background.DisposeAsync().ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        if (_owned is LocalPostgresServer local && keepCluster)
        {
            local.Keep();
        }
        else if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Keeps a failed test's database: renames it out of the run's names, so that neither this run's end nor a later
    /// run's sweep drops it, and says where it is, for the test's output.
    /// </summary>
    internal async Task<string?> KeepIfAskedAsync(string name, string connectionString, CancellationToken cancellationToken)
    {
        if (!_keepFailedDatabases)
        {
            return null;
        }

        await EndBackendsAsync(name, cancellationToken).ConfigureAwait(false);
        var kept = KeptPrefix + name[TestRunLock.DatabasePrefix.Length..];
        await ExecuteAsync($"ALTER DATABASE {SqlIdentifier.Quote(name)} RENAME TO {SqlIdentifier.Quote(kept)}", cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _keptCount);

        // A password the user gave the kit is theirs and stays out of logs; the run's own role's is the test's.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = kept };
        if (_owner is null)
        {
            builder.Password = null;
        }

        var stays = _owned switch
        {
            LocalPostgresServer local => $" The cluster in {local.DataDirectory} keeps running for it after the run: stop it with `pg_ctl stop -D {local.DataDirectory}` (as the postgres user, if the tests ran as root), then delete the folder.",
            null => $" Drop it when done: DROP DATABASE {SqlIdentifier.Quote(kept)};" + (_owner is null ? string.Empty : $" DROP ROLE {SqlIdentifier.Quote(_owner.Name)};"),
            _ => " It lives as long as the run's container: to look at it after the run, use a server of your own (" + ConnectionStringVariable + ").",
        };
        return $"Kept the failed test's database {kept} ({KeepFailedDatabasesVariable}): {builder.ConnectionString}.{stays}";
    }

    /// <summary>Drops a test's database in the background: the test's end does not wait for it.</summary>
    internal void DropLater(string name) => _drops.Enqueue(name);

    internal Task DropDatabaseAsync(string name, CancellationToken cancellationToken) => DropDatabaseAsync(_admin, name, cancellationToken);

    private static async Task DropDatabaseAsync(NpgsqlDataSource server, string name, CancellationToken cancellationToken)
    {
        await EndBackendsAsync(server, name, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(name)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
    }

    private Task EndBackendsAsync(string name, CancellationToken cancellationToken) => EndBackendsAsync(_admin, name, cancellationToken);

    private static async Task EndBackendsAsync(NpgsqlDataSource server, string name, CancellationToken cancellationToken)
    {
        // A connection closed a moment ago still has a backend on its way out, and DROP DATABASE waits for such a
        // backend in steps of 100 ms: most of the cost of handing out a database, when measured. Ending the
        // database's backends and waiting for them here, a millisecond at a time, makes the drop itself take a few.
        await using (var terminate = server.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"))
        {
            terminate.Parameters.Add(new() { Value = name });
            await terminate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var connected = server.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid())"))
        {
            connected.Parameters.Add(new() { Value = name });
            for (var wait = 0; wait < BackendExitPolls && await connected.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true; wait++)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<TestPostgresServer> StartContainerAsync(TestPostgresServerOptions options, string why, CancellationToken cancellationToken)
    {
        if (!await DockerEngine.AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new TestPostgresException($"The Testcontainers source was asked for, but no Docker engine answered at {DockerEngine.Endpoint}. Start Docker (or set DOCKER_HOST), or choose another {nameof(TestServerSource)}.");
        }

        var container = new PostgreSqlBuilder(options.ContainerImage)
            .WithCommand(ContainerSettings)
            .WithTmpfsMount("/var/lib/postgresql/data")
            .Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            var choice = new ServerChoice(TestServerSource.Testcontainers, $"a Testcontainers container of {options.ContainerImage}", why);
            return await AttachAsync(choice, container.GetConnectionString(), container, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<TestPostgresServer> StartLocalAsync(TestPostgresServerOptions options, string why, CancellationToken cancellationToken)
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
            var choice = new ServerChoice(TestServerSource.LocalBinaries, $"a throwaway cluster from the binaries in {PostgresBinaries.Find()}, its data in {local.DataDirectory}", why);
            return await AttachAsync(choice, local.ConnectionString, local, options, cancellationToken).ConfigureAwait(false);
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

    private static async Task<TestPostgresServer> AttachAsync(ServerChoice choice, string connectionString, IAsyncDisposable? owned, TestPostgresServerOptions options, CancellationToken cancellationToken)
    {
        var admin = DataSources.Create(connectionString);
        TestRunLock? run = null;
        try
        {
            string cloneStrategy;
            string version;
            await using (var connection = await admin.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var fsync = new NpgsqlCommand("SHOW fsync", connection))
            {
                // FILE_COPY copies the template's files and checkpoints, WAL_LOG (the default since 15) writes every
                // page of it to the WAL. With fsync off a checkpoint costs next to nothing and FILE_COPY is the faster
                // for a small schema (docs/benchmarks.md); with fsync on, the checkpoints of a shared server cost more.
                var fsyncOff = (string?)await fsync.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) == "off";
                cloneStrategy = connection.PostgreSqlVersion.Major >= 15 && fsyncOff ? " STRATEGY FILE_COPY" : string.Empty;
                version = connection.ServerVersion;
            }

            run = await TestRunLock.TakeAsync(connectionString, cancellationToken).ConfigureAwait(false);
            var owner = options.NonSuperuser
                ? await DatabaseOwnerRole.CreateAsync(admin, run.Prefix, $"{new NpgsqlConnectionStringBuilder(connectionString).Host} ({choice.Source})", cancellationToken).ConfigureAwait(false)
                : null;
            var server = new TestPostgresServer(choice, connectionString, owned, admin, run, cloneStrategy, version, options, owner);

            // A killed run's pool may have had a clone under way, which would land after the sweep below: end it first.
            await TestRunLock.EndOrphanedBackendsAsync(admin, cancellationToken).ConfigureAwait(false);
            foreach (var orphan in await TestRunLock.OrphanedDatabasesAsync(admin, cancellationToken).ConfigureAwait(false))
            {
                await server.DropDatabaseAsync(orphan, cancellationToken).ConfigureAwait(false);
            }

            // After the databases: a role that owned one could not be dropped before it.
            foreach (var orphan in await TestRunLock.OrphanedRolesAsync(admin, cancellationToken).ConfigureAwait(false))
            {
                await DatabaseOwnerRole.DropAsync(admin, orphan, cancellationToken).ConfigureAwait(false);
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

    private static async Task ExecuteAsync(NpgsqlDataSource server, string sql, CancellationToken cancellationToken)
    {
        await using var command = server.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task ExecuteAsync(string sql, CancellationToken cancellationToken) => ExecuteAsync(_admin, sql, cancellationToken);

    /// <summary>A new clone for a pool: of <paramref name="source"/>, or an empty database for null, owned by the run's role when there is one.</summary>
    private async Task<string> CloneAsync(string? source)
    {
        var name = _run.Prefix + Interlocked.Increment(ref _databaseCount).ToString(CultureInfo.InvariantCulture);
        var owner = _owner is null ? string.Empty : " OWNER " + SqlIdentifier.Quote(_owner.Name);
        var from = source is null ? string.Empty : " TEMPLATE " + SqlIdentifier.Quote(source);
        try
        {
            await ExecuteAsync(_background, $"CREATE DATABASE {SqlIdentifier.Quote(name)}{owner}{from}{_cloneStrategy}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new TestPostgresException($"Could not create test database {name}{(source is null ? string.Empty : " from template " + source)} on {Endpoint}: {ex.Message} Check that the server is up and has room (disk, max_connections), then run the tests again.", ex);
        }

        return name;
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            DisposeAsync().AsTask().Wait(ProcessExitCleanup);
        }
        catch (AggregateException)
        {
            // The server is gone or refuses: what is left of the run, the next run's sweep drops.
        }
    }
}
