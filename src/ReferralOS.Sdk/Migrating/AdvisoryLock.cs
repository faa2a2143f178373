using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The session-level advisory lock that lets one instance at a time migrate a database over a direct connection. A waiting instance polls
/// <c>pg_try_advisory_lock</c> with a short back-off rather than blocking in <c>pg_advisory_lock</c>: a blocked
/// statement holds a snapshot open, and the holder's <c>CREATE INDEX CONCURRENTLY</c> would then wait for the
/// waiter — a deadlock (golang-migrate #960). A session lock (not a transaction one) spans <c>Transaction: none</c>
/// migrations. Between polls the waiter is idle, outside any transaction, so it holds no snapshot.
/// </summary>
/// <remarks>
/// A session lock is only as good as the session, so it is taken only on the backend the connection was opened on
/// (<see cref="NpgsqlConnection.ProcessID"/>): any other answer means a pooler, and <see cref="TryAcquireAsync"/> answers
/// null without having locked anything, for the caller to take the lease instead (<see cref="MigrationLock"/>). It is
/// also taken only where this server connection does not hold it already, and it remembers the backend it lives on:
/// <see cref="Guard"/> is the first statement of each later round trip of the run, and fails on any other backend, which
/// aborts the round trip's transaction, so a pooler that got past the check is refused
/// (<see cref="TransactionPoolingException"/>) with nothing of the run committed there. A live lease (an instance
/// migrating through a pooler) keeps it out too: once granted, the lock is given back at once while the lease is held.
/// </remarks>
internal sealed class AdvisoryLock : MigrationLock
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

    private AdvisoryLock(NpgsqlConnection connection, long key, int backendPid, int timeout)
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
    public override string Guard { get; }

    /// <inheritdoc/>
    public override bool GuardsAtCommit => false;

    /// <inheritdoc/>
    public override bool KeepsSession => true;

    /// <summary>Whether an error is <see cref="Guard"/> failing: the round trip reached another backend.</summary>
    public static new bool IsGuardFailure(PostgresException ex) =>
        ex.SqlState == PostgresErrorCodes.UndefinedObject && ex.MessageText.Contains(GuardSetting, StringComparison.Ordinal);

    /// <summary>
    /// The statement that takes the lock on the backend the connection was opened on (<paramref name="openedOn"/>), unless
    /// this very backend holds it already; it answers null (and takes nothing) on any other backend or when held here.
    /// </summary>
    private static string TryLock(long key, int openedOn) =>
        $"SELECT CASE WHEN pg_backend_pid() <> {openedOn.ToString(CultureInfo.InvariantCulture)} THEN NULL " +
        "WHEN EXISTS (SELECT FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() " +
        $"AND {InPgLocks(key)}) THEN NULL ELSE pg_try_advisory_lock($1) END, pg_backend_pid()";

    /// <summary>How pg_locks shows a one-bigint advisory lock: the key's high half as classid, its low half as objid, objsubid 1.</summary>
    private static string InPgLocks(long key) =>
        $"classid = '{((uint)(key >> 32)).ToString(CultureInfo.InvariantCulture)}'::oid AND objid = '{((uint)key).ToString(CultureInfo.InvariantCulture)}'::oid AND objsubid = 1";

    /// <summary>
    /// Takes the lock, polling while another instance holds it (or a lease in <paramref name="lease"/> is live); null,
    /// with nothing taken, when the connection turns out to go through a pooler.
    /// </summary>
    public static async Task<AdvisoryLock?> TryAcquireAsync(NpgsqlConnection connection, long key, LeaseTable lease, TimeSpan wait, int commandTimeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backOff = FirstBackOff;
        var openedOn = connection.ProcessID;
        // The lease is read by a statement of its own, after the try: its snapshot is then taken after the lock was, so it
        // sees every lease granted before, and none can be granted after (a grant checks this lock).
        var tryLock = new NpgsqlBatchCommand(TryLock(key, openedOn)) { Parameters = { new NpgsqlParameter<long> { TypedValue = key } } };
        await using var command = new NpgsqlBatch(connection) { Timeout = commandTimeout, BatchCommands = { tryLock, new NpgsqlBatchCommand("SELECT " + lease.SelectIsHeld) } };
        while (true)
        {
            bool? acquired;
            int pid;
            bool leased;
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                acquired = reader.IsDBNull(0) ? null : reader.GetBoolean(0);
                pid = reader.GetInt32(1);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                leased = reader.GetBoolean(0);
            }
            catch (Exception ex) when (ex is OperationCanceledException or PostgresException)
            {
                // Cancelled while the try ran, or the lease could not be read after it: the server may have granted the
                // lock, and a pooled connection would keep it. Unlocking a lock not held only draws a warning.
                await new AdvisoryLock(connection, key, backendPid: 0, commandTimeout).ReleaseAsync().ConfigureAwait(false);
                throw;
            }

            if (acquired is null && pid != openedOn)
            {
                // A pooler answered the startup: no session lock is taken through it.
                return null;
            }

            if (acquired is null)
            {
                throw new TransactionPoolingException(
                    $"The server connection this migrator was given (backend pid {pid}) already holds the migration lock (advisory lock key {key}): " +
                    "either the application took that lock on this connection and did not give it back, or the connection goes through a pooler that shares one server connection among many clients " +
                    "and passes the server's own process key on to them, so that it was not recognised as a pooler. " + Remedy + " Nothing was applied.");
            }

            if (acquired.Value)
            {
                var held = new AdvisoryLock(connection, key, pid, commandTimeout);
                if (!leased)
                {
                    return held;
                }

                // An instance behind a pooler holds the lease: give the lock back and wait like any other waiter.
                await held.ReleaseAsync().ConfigureAwait(false);
            }

            var waited = Stopwatch.GetElapsedTime(started);
            if (waited >= wait)
            {
                throw acquired.Value && leased
                    ? new MigrationLockTimeoutException(waited, key, lease.Display, "an instance migrating through a pooler")
                    : new MigrationLockTimeoutException(waited, key);
            }

            await Task.Delay(Min(backOff, wait - waited), cancellationToken).ConfigureAwait(false);
            backOff = Min(backOff * 2, LongestBackOff);
        }
    }

    /// <summary>What to do behind a pooler the startup did not give away, said the same way wherever it is met.</summary>
    public const string Remedy =
        $"Set {nameof(MigrationOptions)}.{nameof(MigrationOptions.AlwaysUseLease)}, which takes the migration lease, a row beside the history table that is correct behind any pooler, " +
        "instead of a session advisory lock; or migrate over a direct connection to PostgreSQL.";

    /// <summary>
    /// The refusal when a round trip of the run reached another backend than the one holding the lock, with what became
    /// of the lock: released (a retry of the unlock reached its backend), or left behind with the statement that ends it.
    /// </summary>
    public override async Task<MigrationException> MovedAsync(string doing)
    {
        var released = await ReleaseAsync().ConfigureAwait(false);
        var lockState = released
            ? "The lock was released (if no unlock reached its server connection, by ending that connection while it sat idle)."
            : $"The lock could not be released (no unlock reached its server connection, which was busy whenever it was to be ended) and stays held by backend pid {BackendPid} until the pooler closes that server connection; " +
              $"end it with SELECT pg_terminate_backend({BackendPid}); over a direct connection once it is idle.";
        return new TransactionPoolingException(
            $"While {doing}, this migrator's statements ran on another server connection than the one holding the migration lock (backend pid {BackendPid}): " +
            "the connection goes through a transaction-pooling proxy that passed the server's own process key on, so that it was not recognised as a pooler, and a session advisory lock cannot keep other instances out there. " +
            "Nothing of the migration in progress was committed or recorded. " + lockState + " " + Remedy);
    }

    /// <summary>
    /// Releases the lock and says whether it was: the unlock must reach the backend that holds it, so an unlock that
    /// answers false (it reached another backend, behind a pooler) is sent again a few times before giving up.
    /// </summary>
    public override async Task<bool> ReleaseAsync()
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

    /// <summary>The end of a run that held the lock: an unlock that never reaches the lock's backend is a lock left behind, and said so.</summary>
    public override async Task ReleaseAfterAsync(string done)
    {
        if (!await ReleaseAsync().ConfigureAwait(false))
        {
            throw new TransactionPoolingException(
                $"Finished {done}, but the migration lock could not be released: every unlock reached another server connection than the one holding it (backend pid {BackendPid}), " +
                "so the connection goes through a transaction-pooling proxy. The lock stays held until the pooler closes that server connection, and every later run waits for it; " +
                $"end it now with SELECT pg_terminate_backend({BackendPid}); over a direct connection. {Remedy}");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
