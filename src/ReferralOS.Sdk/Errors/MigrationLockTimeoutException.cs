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

    /// <summary>How long this instance waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The advisory lock key.</summary>
    public long LockKey { get; }
}
