using System.Diagnostics;
using Npgsql;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The session-level advisory lock that lets one instance at a time migrate a database. A waiting instance polls
/// <c>pg_try_advisory_lock</c> with a short back-off rather than blocking in <c>pg_advisory_lock</c>: a blocked
/// statement holds a snapshot open, and the holder's <c>CREATE INDEX CONCURRENTLY</c> would then wait for the
/// waiter — a deadlock. A session lock (not a transaction one) spans <c>Transaction: none</c> migrations.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
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
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
        while (true)
        {
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
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

    public async ValueTask DisposeAsync()
    {
        // Released on every path; if the connection is already broken the server has released it with the session.
        if (_connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _key });
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its locks with it.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
