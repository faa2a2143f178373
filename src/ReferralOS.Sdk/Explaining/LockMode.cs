namespace ReferralOS.Sdk;

/// <summary>
/// PostgreSQL's eight table-level lock modes, weakest first, named as <c>pg_locks.mode</c> spells them
/// (<see href="https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES">Table-Level Locks</see>).
/// <see cref="LockConflicts"/> says which modes conflict and what each one blocks while it is held.
/// </summary>
public enum LockMode
{
    /// <summary>ACCESS SHARE: taken by SELECT; conflicts only with <see cref="AccessExclusiveLock"/>.</summary>
    AccessShareLock,

    /// <summary>ROW SHARE: taken by SELECT FOR UPDATE / FOR SHARE, and on the referenced table by a foreign key check.</summary>
    RowShareLock,

    /// <summary>ROW EXCLUSIVE: taken by INSERT, UPDATE, DELETE and MERGE.</summary>
    RowExclusiveLock,

    /// <summary>SHARE UPDATE EXCLUSIVE: VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT and some ALTER TABLE forms; self-conflicting, but reads and writes go on.</summary>
    ShareUpdateExclusiveLock,

    /// <summary>SHARE: CREATE INDEX without CONCURRENTLY; blocks writes, not reads.</summary>
    ShareLock,

    /// <summary>SHARE ROW EXCLUSIVE: CREATE TRIGGER and ADD FOREIGN KEY (on both tables); blocks writes, not reads.</summary>
    ShareRowExclusiveLock,

    /// <summary>EXCLUSIVE: REFRESH MATERIALIZED VIEW CONCURRENTLY; only plain reads go on.</summary>
    ExclusiveLock,

    /// <summary>ACCESS EXCLUSIVE: most ALTER TABLE forms, DROP, TRUNCATE, VACUUM FULL, REINDEX; blocks everything, SELECT included.</summary>
    AccessExclusiveLock,
}
