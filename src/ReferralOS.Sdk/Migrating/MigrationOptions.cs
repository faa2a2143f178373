namespace ReferralOS.Sdk;

/// <summary>How the runtime applies migrations. The defaults suit an application that migrates on start.</summary>
public sealed record MigrationOptions
{
    /// <summary>The advisory lock key every instance of ReferralOS.Sdk agrees on unless told otherwise.</summary>
    public const long DefaultAdvisoryLockKey = 0x5245_464F_5344_4B31; // "REFOSDK1"

    private readonly string _historyTable = History.HistoryTable.DefaultName;

    /// <summary>
    /// <c>lock_timeout</c> for each migration, unless its file sets <c>-- Lock-Timeout:</c>. A migration that
    /// cannot get its table locks in time fails (and can be retried) instead of queueing every query behind it.
    /// Default 5 seconds.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>statement_timeout</c> for each migration statement, unless its file sets <c>-- Statement-Timeout:</c>.
    /// Default 5 minutes.
    /// </summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an instance waits for another instance's migration run to finish before it gives up with
    /// <see cref="MigrationLockTimeoutException"/>. Default 10 minutes.
    /// </summary>
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the migration lease lasts without a renewal, behind a pooler (see <see cref="AlwaysUseLease"/>): the
    /// holder renews it with every round trip and, during a long statement, every third of it from a heartbeat; a holder
    /// that dies leaves a lease that others take over this long after its last renewal. Longer rides out longer stalls of a
    /// holder; shorter recovers sooner from one that died. Default 30 seconds; at least 1 second.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Take the migration lease — a row beside the history table, <c>&lt;history table&gt;_lock</c>, with an expiry and a
    /// fencing token checked inside each migration's transaction — even on what looks like a direct connection. Without
    /// it (the default) the lease is taken whenever the connection goes through a pooler, which the runtime recognises
    /// from the server's process key at startup, and a session advisory lock otherwise. Set it behind a pooler that
    /// passes the server's key through, or to have every instance use the lease.
    /// </summary>
    public bool AlwaysUseLease { get; init; }

    /// <summary>
    /// The environment the database serves, when the caller knows it; null (the default) records nothing.
    /// <see cref="DatabaseEnvironment.Production"/> marks the database as production — a comment on
    /// <c>schema_migrations</c> that the runtime owns — after which seeding, reset and rollback against it are
    /// refused whatever environment a later caller names. The runtime never removes the marker.
    /// </summary>
    public DatabaseEnvironment? Environment { get; init; }

    /// <summary>The PostgreSQL advisory lock key that serialises migration runs against one database.</summary>
    public long AdvisoryLockKey { get; init; } = DefaultAdvisoryLockKey;

    /// <summary>
    /// The history table: <c>name</c> (found through the connection's <c>search_path</c>, and created in the first schema
    /// of it that exists) or <c>schema.name</c> (the schema is created when missing). Default: the specification's
    /// <c>schema_migrations</c>. Choose another when a table of that name belongs to another tool (golang-migrate,
    /// dbmate and Rails use the name for tables of other shapes).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not <c>name</c> or <c>schema.name</c> (checked when set, so a bad name fails where it is configured).</exception>
    public string HistoryTable
    {
        get => _historyTable;
        init
        {
            _ = History.HistoryTable.Parse(value);
            _historyTable = value;
        }
    }

    /// <summary>
    /// When a <c>Transaction: none</c> migration's index exists INVALID (an interrupted <c>CREATE INDEX
    /// CONCURRENTLY</c>), drop it with <c>DROP INDEX CONCURRENTLY</c> and build it again, instead of refusing with
    /// <see cref="InvalidIndexException"/>. Default false: an operator looks first.
    /// </summary>
    public bool RebuildInvalidIndexes { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(LockTimeout, TimeSpan.FromMilliseconds(1), nameof(LockTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(StatementTimeout, TimeSpan.FromMilliseconds(1), nameof(StatementTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(LockWaitTimeout, TimeSpan.Zero, nameof(LockWaitTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(LeaseDuration, TimeSpan.FromSeconds(1), nameof(LeaseDuration));
        _ = History.HistoryTable.Parse(HistoryTable);
    }
}
