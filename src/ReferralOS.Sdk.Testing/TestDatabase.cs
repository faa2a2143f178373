using Npgsql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// A database of one test's own, cloned from a migrated (and, unless asked otherwise, seeded) template. Disposing
/// it drops the database.
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

    /// <summary>Closes the data source's connections and drops the database, ending any connection still open to it.</summary>
    /// <returns>A task that completes when the database is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await _server.DropDatabaseAsync(Name, CancellationToken.None).ConfigureAwait(false);
    }
}
