using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// What lets one instance at a time migrate a database, whichever way the connection reaches it: a polled session
/// advisory lock on a direct connection (<see cref="AdvisoryLock"/>), a lease row with a fencing token behind a
/// pooler (<see cref="LeaseLock"/>). Both give every round trip of the run a guard that fails it when the run no longer
/// holds the lock, and both make waiters poll outside any transaction, so that a holder's
/// <c>CREATE INDEX CONCURRENTLY</c> never waits for a waiter's snapshot.
/// </summary>
/// <remarks>
/// <para>
/// <b>How a pooler is detected.</b> Npgsql learns the server process it talks to from the BackendKeyData message of
/// the connection's startup (<see cref="NpgsqlConnection.ProcessID"/>), and the lock's first poll asks the server for
/// <c>pg_backend_pid()</c>. A direct connection answers with the same process. A pooler must answer the startup
/// itself — it has no server connection bound to the client yet, and it must route a cancel request to whichever server
/// connection the client is using at that moment — so it makes up its own key (PgBouncer, Odyssey, PgCat, Supavisor and
/// RDS Proxy all do), and the two differ. The answer is read before any session lock is taken, so a pooled connection
/// never takes one; a pooler that passed the server's key through (none known) would still meet the advisory lock's guard,
/// which refuses the moment a round trip reaches another backend.
/// </para>
/// <para>
/// A session pooler (PgBouncer <c>pool_mode = session</c>) is detected the same way and gets the lease too: the
/// lease is correct there as well, and nothing but the server's key tells the two modes apart.
/// </para>
/// </remarks>
internal abstract class MigrationLock : IAsyncDisposable
{
    /// <summary>A statement that succeeds while the run holds the lock and fails otherwise (see <see cref="IsGuardFailure"/>), aborting the transaction it is in.</summary>
    public abstract string Guard { get; }

    /// <summary>
    /// Whether the guard goes last in a migration's transaction (the lease: it locks the lease row until the commit,
    /// and renews the lease at the very end) rather than first (the advisory lock: it must run before anything else does).
    /// </summary>
    public abstract bool GuardsAtCommit { get; }

    /// <summary>
    /// Whether the run's connection is one session: settings made with <c>SET</c> outside a transaction stay with it.
    /// False behind a pooler, where only <c>SET LOCAL</c> inside a transaction is sent.
    /// </summary>
    public abstract bool KeepsSession { get; }

    /// <summary>Whether an error is a guard failing: the run no longer holds the lock, or its round trip reached a backend that does not.</summary>
    public static bool IsGuardFailure(PostgresException ex) => AdvisoryLock.IsGuardFailure(ex) || LeaseTable.IsLost(ex);

    /// <summary>Whether an exception is one of the lock's own refusals, which already tell what became of the lock.</summary>
    public static bool IsLockLoss(Exception ex) => ex is TransactionPoolingException or MigrationLeaseLostException;

    /// <summary>
    /// Takes the lock, waiting for another instance's run for up to <see cref="MigrationOptions.LockWaitTimeout"/>: the
    /// session advisory lock on a direct connection, the lease behind a pooler (see the remarks on how it is told).
    /// </summary>
    public static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, NpgsqlDataSource dataSource, HistoryTable history, MigrationOptions options, int commandTimeout, CancellationToken cancellationToken)
    {
        var advisory = options.AlwaysUseLease
            ? null
            : await AdvisoryLock.TryAcquireAsync(connection, options.AdvisoryLockKey, LeaseTable.For(history), options.LockWaitTimeout, commandTimeout, cancellationToken).ConfigureAwait(false);
        return (MigrationLock?)advisory ?? await LeaseLock.AcquireLeaseAsync(connection, dataSource, history, options, commandTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The refusal when a guard failed while the run was <paramref name="doing"/> something, with what became of the lock.</summary>
    public abstract Task<MigrationException> MovedAsync(string doing);

    /// <summary>Releases the lock and says whether it was.</summary>
    public abstract Task<bool> ReleaseAsync();

    /// <summary>Releases the lock at the end of a run that finished <paramref name="done"/>; a lock left behind is said so.</summary>
    public abstract Task ReleaseAfterAsync(string done);

    /// <summary>Released on every path: success, failure and cancellation.</summary>
    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>What else the lock holds (the lease's heartbeat), stopped after the release.</summary>
    protected virtual ValueTask StopAsync() => ValueTask.CompletedTask;
}
