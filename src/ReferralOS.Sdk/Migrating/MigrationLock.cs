using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The session-level advisory lock that lets one instance at a time migrate a database. A waiting instance polls
/// <c>pg_try_advisory_lock</c> with a short back-off rather than blocking in <c>pg_advisory_lock</c>: a blocked
/// statement holds a snapshot open, and the holder's <c>CREATE INDEX CONCURRENTLY</c> would then wait for the
/// waiter — a deadlock (golang-migrate #960). A session lock (not a transaction one) spans <c>Transaction: none</c>
/// migrations. Between polls the waiter is idle, outside any transaction, so it holds no snapshot.
/// </summary>
/// <remarks>
/// A session lock is only as good as the session: behind a transaction-pooling proxy each statement may run on
/// another server connection, and one server connection serves many clients. So the lock is taken only where this
/// server connection does not hold it already (another client of the same server connection would otherwise be
/// granted it again, re-entrantly), and it remembers the backend it lives on: <see cref="Guard"/> is the first statement
/// of each later round trip of the run, and fails on any other backend, which aborts the round trip's transaction, so
/// the run refuses (<see cref="TransactionPoolingException"/>) with nothing of it committed there.
/// </remarks>
internal sealed class MigrationLock : IAsyncDisposable
{
    private const string Unlock = "SELECT pg_advisory_unlock($1), pg_backend_pid()";
    private const int UnlockAttempts = 40;
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan UnlockRetryDelay = TimeSpan.FromMilliseconds(25);

    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly int _timeout;
    private bool _released;

    private MigrationLock(NpgsqlConnection connection, long key, int backendPid, int timeout)
    {
        _connection = connection;
        _key = key;
        _timeout = timeout;
        BackendPid = backendPid;
        var pid = backendPid.ToString(CultureInfo.InvariantCulture);
        Guard = $"SELECT pg_catalog.current_setting(CASE WHEN pg_backend_pid() = {pid} THEN 'server_version_num' ELSE '{GuardSetting}{pid}' END)";
    }

    /// <summary>
    /// The setting the guard asks for on a backend that does not hold the lock: none such exists, so the server fails
    /// the statement with 42704 and a message that says what happened, even in its own log.
    /// </summary>
    private const string GuardSetting = "referralos.migration_lock_is_held_by_backend_";

    /// <summary>The server process (backend) the session holding the lock runs in.</summary>
    public int BackendPid { get; }

    /// <summary>A statement that succeeds on the backend holding the lock and fails anywhere else (see <see cref="IsGuardFailure"/>).</summary>
    public string Guard { get; }

    /// <summary>Whether an error is <see cref="Guard"/> failing: the round trip reached another backend.</summary>
    public static bool IsGuardFailure(PostgresException ex) =>
        ex.SqlState == PostgresErrorCodes.UndefinedObject && ex.MessageText.Contains(GuardSetting, StringComparison.Ordinal);

    /// <summary>The statement that takes the lock unless this very backend holds it already (then it answers null).</summary>
    private static string TryLock(long key) =>
        "SELECT CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() " +
        $"AND {InPgLocks(key)}) THEN NULL ELSE pg_try_advisory_lock($1) END, pg_backend_pid()";

    /// <summary>How pg_locks shows a one-bigint advisory lock: the key's high half as classid, its low half as objid, objsubid 1.</summary>
    private static string InPgLocks(long key) =>
        $"classid = '{((uint)(key >> 32)).ToString(CultureInfo.InvariantCulture)}'::oid AND objid = '{((uint)key).ToString(CultureInfo.InvariantCulture)}'::oid AND objsubid = 1";

    public static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, long key, TimeSpan wait, int commandTimeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backOff = FirstBackOff;
        await using var command = new NpgsqlCommand(TryLock(key), connection) { CommandTimeout = commandTimeout };
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
        while (true)
        {
            bool? acquired;
            int pid;
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                acquired = reader.IsDBNull(0) ? null : reader.GetBoolean(0);
                pid = reader.GetInt32(1);
            }
            catch (OperationCanceledException)
            {
                // Cancelled while the try ran: the server may have granted the lock after all, and a pooled
                // connection would keep it. Unlocking a lock not held only draws a warning.
                await new MigrationLock(connection, key, backendPid: 0, commandTimeout).ReleaseAsync().ConfigureAwait(false);
                throw;
            }

            if (acquired is null)
            {
                throw new TransactionPoolingException(
                    $"The server connection this migrator was given (backend pid {pid}) already holds the migration lock (advisory lock key {key}) for another client: " +
                    "the connection goes through a transaction-pooling proxy (such as PgBouncer with pool_mode = transaction), which shares one server connection among many clients, " +
                    "so a session advisory lock cannot keep other instances out. " + Remedy + " Nothing was applied.");
            }

            if (acquired.Value)
            {
                return new MigrationLock(connection, key, pid, commandTimeout);
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

    /// <summary>What to do behind a transaction pooler, said the same way wherever it is detected.</summary>
    public const string Remedy =
        "Run migrations over a direct connection to PostgreSQL, or one through a session-pooling proxy (PgBouncer pool_mode = session), " +
        "e.g. a second connection string that points at the server's own port, used for migrate only; the application itself may keep the transaction pooler.";

    /// <summary>
    /// The refusal when a round trip of the run reached another backend than the one holding the lock, with what became
    /// of the lock: released (a retry of the unlock reached its backend), or left behind with the statement that ends it.
    /// </summary>
    public async Task<TransactionPoolingException> MovedAsync(string doing)
    {
        var released = await ReleaseAsync().ConfigureAwait(false);
        var lockState = released
            ? "The lock was released (if no unlock reached its server connection, by ending that connection while it sat idle)."
            : $"The lock could not be released (no unlock reached its server connection, which was busy whenever it was to be ended) and stays held by backend pid {BackendPid} until the pooler closes that server connection; " +
              $"end it with SELECT pg_terminate_backend({BackendPid}); over a direct connection once it is idle.";
        return new TransactionPoolingException(
            $"While {doing}, this migrator's statements ran on another server connection than the one holding the migration lock (backend pid {BackendPid}): " +
            "the connection goes through a transaction-pooling proxy (such as PgBouncer with pool_mode = transaction), so a session advisory lock cannot keep other instances out. " +
            "Nothing of the migration in progress was committed or recorded. " + lockState + " " + Remedy);
    }

    /// <summary>
    /// Releases the lock and says whether it was: the unlock must reach the backend that holds it, so an unlock that
    /// answers false (it reached another backend, behind a pooler) is sent again a few times before giving up.
    /// </summary>
    public async Task<bool> ReleaseAsync()
    {
        if (_released)
        {
            return true;
        }

        // A broken connection's session is gone, and its locks with it.
        if (_connection.FullState != System.Data.ConnectionState.Open)
        {
            return _released = true;
        }

        try
        {
            // The session settings of a Transaction: none file go with the unlock: when it reaches the lock's backend,
            // so do they, and a server connection a pooler shares keeps none of them.
            await using var command = new NpgsqlBatch(_connection) { Timeout = _timeout };
            var unlock = new NpgsqlBatchCommand(Unlock);
            unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _key });
            command.BatchCommands.Add(unlock);
            foreach (var reset in MigrationExecutor.SessionResets(_connection))
            {
                command.BatchCommands.Add(new NpgsqlBatchCommand(reset));
            }

            for (var attempt = 0; attempt < UnlockAttempts; attempt++)
            {
                await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                    if (reader.GetBoolean(0) || BackendPid == 0 || reader.GetInt32(1) == BackendPid)
                    {
                        // Released; or nothing to release (a cancelled try that was never granted, or the holder's own
                        // backend answering that it holds nothing).
                        return _released = true;
                    }
                }

                await Task.Delay(UnlockRetryDelay, CancellationToken.None).ConfigureAwait(false);
            }

            return _released = await EndIdleHolderAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The unlock failed on a session that may still be alive: keep it out of the pool, where it would hold
            // the lock while idle, so that closing it ends the session and releases the lock.
            NpgsqlConnection.ClearPool(_connection);
            return _released = true;
        }
    }

    /// <summary>
    /// The last resort behind a transaction pooler, when no unlock reached the backend holding the lock: a pooler that
    /// hands out its most recently used server connection first may never hand out that one again, and the lock would
    /// then outlive this run by as long as the pooler keeps the connection (an hour by default), blocking every later
    /// run. That server connection is ended — only while it sits idle between transactions, so that no client's work
    /// is cut — and the pooler opens a fresh one when it needs it. True when the lock is gone afterwards.
    /// </summary>
    private async Task<bool> EndIdleHolderAsync()
    {
        var pid = BackendPid.ToString(CultureInfo.InvariantCulture);
        await using var end = new NpgsqlCommand(
            $"SELECT pg_terminate_backend(pid, 1000) FROM pg_catalog.pg_stat_activity WHERE pid = {pid} AND state = 'idle'",
            _connection)
        { CommandTimeout = _timeout };
        await using var held = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = {pid} " +
            $"AND {InPgLocks(_key)})",
            _connection)
        { CommandTimeout = _timeout };
        for (var attempt = 0; attempt < UnlockAttempts; attempt++)
        {
            // The connection may be serving another client's transaction right now: try again when it is idle.
            await end.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            if (!(bool)(await held.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!)
            {
                return true;
            }

            await Task.Delay(UnlockRetryDelay, CancellationToken.None).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Released on every path: success, failure and cancellation.</summary>
    public async ValueTask DisposeAsync() => await ReleaseAsync().ConfigureAwait(false);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
