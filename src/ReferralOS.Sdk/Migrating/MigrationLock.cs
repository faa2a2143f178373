using System.Diagnostics;
using Npgsql;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The session-level advisory lock that lets one instance at a time migrate a database. A waiting instance polls
/// <c>pg_try_advisory_lock</c> with a short back-off rather than blocking in <c>pg_advisory_lock</c>: a blocked
/// statement holds a snapshot open, and the holder's <c>CREATE INDEX CONCURRENTLY</c> would then wait for the
/// waiter — a deadlock (golang-migrate #960). A session lock (not a transaction one) spans <c>Transaction: none</c>
/// migrations. Between polls the waiter is idle, outside any transaction, so it holds no snapshot.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    private const string TryLock = "SELECT pg_try_advisory_lock($1)";
    private const string Unlock = "SELECT pg_advisory_unlock($1)";
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromMilliseconds(500);

    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private MigrationLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    public static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, long key, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backOff = FirstBackOff;
        await using var command = new NpgsqlCommand(TryLock, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
        while (true)
        {
            bool acquired;
            try
            {
                acquired = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
            catch (OperationCanceledException)
            {
                // Cancelled while the try ran: the server may have granted the lock after all, and a pooled
                // connection would keep it. Unlocking a lock not held only draws a warning.
                await ReleaseAsync(connection, key).ConfigureAwait(false);
                throw;
            }

            if (acquired)
            {
                return new MigrationLock(connection, key);
            }

            var waited = Stopwatch.GetElapsedTime(started);
            if (waited >= wait)
            {
                throw new MigrationLockTimeoutException(waited, key);
            }

            await Task.Delay(Min(backOff, wait - waited), cancellationToken).ConfigureAwait(false);
            backOff = Min(backOff * 2, LongestBackOff);
        }
    }

    /// <summary>Released on every path: success, failure and cancellation.</summary>
    public ValueTask DisposeAsync() => ReleaseAsync(_connection, _key);

    private static async ValueTask ReleaseAsync(NpgsqlConnection connection, long key)
    {
        // A broken connection's session is gone, and its locks with it.
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand(Unlock, connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The unlock failed on a session that may still be alive: keep it out of the pool, where it would hold
            // the lock while idle, so that closing it ends the session and releases the lock.
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
