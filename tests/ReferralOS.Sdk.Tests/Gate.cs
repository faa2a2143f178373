using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// An advisory lock a test holds so that a migration waiting on it (<see cref="TestCatalog.Gated"/>) stops at a known
/// statement; the test sees the waiter in pg_locks, does what it tests, and opens the gate.
/// </summary>
public sealed class Gate : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private Gate(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        Key = key;
    }

    public long Key { get; }

    public static async Task<Gate> CloseAsync(NpgsqlDataSource dataSource, long key)
    {
        var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(connection, $"SELECT pg_advisory_lock({key})");
        return new Gate(connection, key);
    }

    /// <summary>The backend pid of the session waiting at the gate, once one is.</summary>
    public async Task<int> WaiterAsync(NpgsqlDataSource dataSource) =>
        await Sql.EventuallyAsync(
            dataSource,
            $"SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {Key} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            reader => reader.GetInt32(0));

    public Task OpenAsync() => Sql.ExecuteAsync(_connection, $"SELECT pg_advisory_unlock({Key})");

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
