namespace ReferralOS.Sdk;

/// <summary>Another instance held the migration lock for longer than the configured wait. Nothing was applied.</summary>
public sealed class MigrationLockTimeoutException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="waited">How long this instance waited.</param>
    /// <param name="lockKey">The advisory lock key.</param>
    public MigrationLockTimeoutException(TimeSpan waited, long lockKey)
        : base($"Another instance held the migration lock (pg_advisory_lock key {lockKey}) for the whole {waited.TotalSeconds:0.#}s this one waited. " +
               $"Let the running migration finish and retry, raise {nameof(MigrationOptions)}.{nameof(MigrationOptions.LockWaitTimeout)}, " +
               $"or find the holder with: SELECT pid, state, query FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory'). Nothing was applied.")
    {
        Waited = waited;
        LockKey = lockKey;
    }

    /// <summary>Creates the exception for a run behind a pooler, which waits for the migration lease.</summary>
    /// <param name="waited">How long this instance waited.</param>
    /// <param name="lockKey">The advisory lock key, which a lease holder's grant also checks.</param>
    /// <param name="leaseTable">The table that holds the lease, e.g. <c>public.schema_migrations_lock</c>.</param>
    /// <param name="holder">Who held the lease when this instance gave up; null when it had expired (a direct connection's session lock held it then).</param>
    public MigrationLockTimeoutException(TimeSpan waited, long lockKey, string leaseTable, string? holder)
        : base($"Another instance held the migration lease in {leaseTable}{(holder is null ? $" (or a direct connection's advisory lock, key {lockKey})" : $" ({holder})")} for the whole {waited.TotalSeconds:0.#}s this one waited. " +
               $"Let the running migration finish and retry, or raise {nameof(MigrationOptions)}.{nameof(MigrationOptions.LockWaitTimeout)}; " +
               $"the holder is in: SELECT owner, heartbeat_at, expires_at FROM {leaseTable}. A holder that died leaves a lease that expires by itself within {nameof(MigrationOptions)}.{nameof(MigrationOptions.LeaseDuration)}. Nothing was applied.")
    {
        Waited = waited;
        LockKey = lockKey;
    }

    /// <summary>How long this instance waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The advisory lock key.</summary>
    public long LockKey { get; }
}
