namespace ReferralOS.Sdk;

/// <summary>The ordinary operations on a table that a held lock makes wait, as <see cref="LockConflicts.Blocks"/> reports them.</summary>
[Flags]
public enum BlockedOperations
{
    /// <summary>Nothing waits.</summary>
    None = 0,

    /// <summary>Plain SELECT (needs <see cref="LockMode.AccessShareLock"/>).</summary>
    Reads = 1,

    /// <summary>SELECT FOR UPDATE / FOR SHARE, and foreign key checks from referencing tables (need <see cref="LockMode.RowShareLock"/>).</summary>
    LockingReads = 2,

    /// <summary>INSERT, UPDATE, DELETE and MERGE (need <see cref="LockMode.RowExclusiveLock"/>).</summary>
    Writes = 4,

    /// <summary>VACUUM, ANALYZE (autovacuum's included), CREATE INDEX CONCURRENTLY and VALIDATE CONSTRAINT (need <see cref="LockMode.ShareUpdateExclusiveLock"/>).</summary>
    Maintenance = 8,

    /// <summary>Other DDL: CREATE INDEX, ALTER TABLE, DROP, TRUNCATE (need <see cref="LockMode.ShareLock"/> or stronger; a held lock blocks this when it blocks any of them).</summary>
    SchemaChanges = 16,
}
