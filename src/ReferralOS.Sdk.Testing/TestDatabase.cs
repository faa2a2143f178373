using Npgsql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// A database of one test's own, cloned from a migrated (and, unless asked otherwise, seeded) template. Disposing
/// it closes its connections and has it dropped in the background; no other test ever gets it.
/// <see cref="FinishAsync"/> keeps it instead when its test failed and the run keeps failed tests' databases.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TestPostgresServer _server;
    private bool _disposed;

    internal TestDatabase(TestPostgresServer server, string name, string? template, string connectionString)
    {
        _server = server;
        Name = name;
        Template = template;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database's name, unique on the server.</summary>
    public string Name { get; }

    /// <summary>The template database it was cloned from; null for an empty database.</summary>
    public string? Template { get; }

    /// <summary>A connection string to this database.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source for this database, disposed with it.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// This database and its server in one line for the test's output: its name, the server, and why the kit chose that
    /// server (<see cref="TestPostgresServer.Description"/>).
    /// </summary>
    public string Description => $"Test database {Name} on {_server.Description}";

    /// <summary>
    /// Ends the test's use of the database. When the test failed and the run keeps failed tests' databases
    /// (<see cref="TestPostgresServerOptions.KeepFailedDatabases"/>), the database stays, renamed
    /// <c>referralos_kept_…</c> so that no run drops it, and the returned line says how to connect to it, for the test's
    /// output (a password the kit was given is left out). Otherwise the database is dropped in the background, as by
    /// <see cref="DisposeAsync"/>, and the result is null. The test framework adapters call this after each test.
    /// </summary>
    /// <param name="testFailed">Whether the test that used the database failed.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The line to write to the test's output about the kept database; null when it was dropped.</returns>
    public async Task<string?> FinishAsync(bool testFailed, CancellationToken cancellationToken = default)
    {
        if (_disposed || !testFailed)
        {
            await DisposeAsync().ConfigureAwait(false);
            return null;
        }

        _disposed = true;
        await DataSource.DisposeAsync().ConfigureAwait(false);
        if (await _server.KeepIfAskedAsync(Name, ConnectionString, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        _server.DropLater(Name);
        return null;
    }

    /// <summary>
    /// Closes the data source's connections and has the database dropped in the background, ending any connection still
    /// open to it; the run's end waits for the drops still under way.
    /// </summary>
    /// <returns>A task that completes when the data source is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await DataSource.DisposeAsync().ConfigureAwait(false);
        _server.DropLater(Name);
    }
}
