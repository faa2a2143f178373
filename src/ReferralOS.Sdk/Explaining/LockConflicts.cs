namespace ReferralOS.Sdk;

/// <summary>
/// PostgreSQL's table-level lock conflict table
/// (<see href="https://www.postgresql.org/docs/current/explicit-locking.html#TABLE-LOCK-COMPATIBILITY">Conflicting Lock Modes</see>),
/// and what it means for the ordinary operations a held lock makes wait.
/// </summary>
public static class LockConflicts
{
    /// <summary>For each mode (by its value), the modes it conflicts with, as bits of <c>1 &lt;&lt; mode</c>; the table is symmetric.</summary>
    private static readonly int[] ConflictMasks =
    [
        Bits(LockMode.AccessExclusiveLock),
        Bits(LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
        Bits(LockMode.ShareLock, LockMode.ShareRowExclusiveLock, LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
        Bits(LockMode.ShareUpdateExclusiveLock, LockMode.ShareLock, LockMode.ShareRowExclusiveLock, LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
        Bits(LockMode.RowExclusiveLock, LockMode.ShareUpdateExclusiveLock, LockMode.ShareRowExclusiveLock, LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
        Bits(LockMode.RowExclusiveLock, LockMode.ShareUpdateExclusiveLock, LockMode.ShareLock, LockMode.ShareRowExclusiveLock, LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
        Bits(LockMode.RowShareLock, LockMode.RowExclusiveLock, LockMode.ShareUpdateExclusiveLock, LockMode.ShareLock, LockMode.ShareRowExclusiveLock, LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
        Bits(LockMode.AccessShareLock, LockMode.RowShareLock, LockMode.RowExclusiveLock, LockMode.ShareUpdateExclusiveLock, LockMode.ShareLock, LockMode.ShareRowExclusiveLock, LockMode.ExclusiveLock, LockMode.AccessExclusiveLock),
    ];

    /// <summary>Whether a session asking for <paramref name="requested"/> must wait while another holds <paramref name="held"/>.</summary>
    /// <param name="held">The mode one session holds.</param>
    /// <param name="requested">The mode another session asks for on the same relation.</param>
    /// <returns>True when the two conflict.</returns>
    public static bool Conflicts(LockMode held, LockMode requested) => (ConflictMasks[Index(held)] & (1 << Index(requested))) != 0;

    /// <summary>The ordinary operations on the relation that wait while <paramref name="held"/> is held.</summary>
    /// <param name="held">The mode held.</param>
    /// <returns>The operations that wait; <see cref="BlockedOperations.SchemaChanges"/> is set for every mode, since every mode conflicts with ACCESS EXCLUSIVE.</returns>
    public static BlockedOperations Blocks(LockMode held)
    {
        var blocked = BlockedOperations.SchemaChanges;
        if (Conflicts(held, LockMode.AccessShareLock))
        {
            blocked |= BlockedOperations.Reads;
        }

        if (Conflicts(held, LockMode.RowShareLock))
        {
            blocked |= BlockedOperations.LockingReads;
        }

        if (Conflicts(held, LockMode.RowExclusiveLock))
        {
            blocked |= BlockedOperations.Writes;
        }

        if (Conflicts(held, LockMode.ShareUpdateExclusiveLock))
        {
            blocked |= BlockedOperations.Maintenance;
        }

        return blocked;
    }

    /// <summary>Whether <paramref name="held"/> makes INSERT, UPDATE and DELETE wait: SHARE and stronger.</summary>
    /// <param name="held">The mode held.</param>
    /// <returns>True when writes wait.</returns>
    public static bool BlocksWrites(LockMode held) => Conflicts(held, LockMode.RowExclusiveLock);

    /// <summary>Reads a mode as <c>pg_locks.mode</c> spells it, e.g. <c>AccessExclusiveLock</c>.</summary>
    /// <param name="text">The text of <c>pg_locks.mode</c>.</param>
    /// <param name="mode">The mode, when the text is a table-level one.</param>
    /// <returns>Whether the text names one of the eight table-level modes.</returns>
    public static bool TryParse(string text, out LockMode mode) => Enum.TryParse(text, ignoreCase: false, out mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _);

    /// <summary>The operations, as a reader names them: <c>SELECT, INSERT/UPDATE/DELETE</c>.</summary>
    /// <param name="operations">The operations.</param>
    /// <returns>Their names, comma-separated; <c>nothing</c> for none.</returns>
    public static string Describe(BlockedOperations operations)
    {
        var names = new List<string>(5);
        if (operations.HasFlag(BlockedOperations.Reads))
        {
            names.Add("SELECT");
        }

        if (operations.HasFlag(BlockedOperations.LockingReads))
        {
            names.Add("SELECT FOR UPDATE");
        }

        if (operations.HasFlag(BlockedOperations.Writes))
        {
            names.Add("INSERT/UPDATE/DELETE");
        }

        if (operations.HasFlag(BlockedOperations.Maintenance))
        {
            names.Add("VACUUM/CREATE INDEX CONCURRENTLY");
        }

        if (operations.HasFlag(BlockedOperations.SchemaChanges))
        {
            names.Add("other DDL");
        }

        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }

    private static int Index(LockMode mode) =>
        mode is >= LockMode.AccessShareLock and <= LockMode.AccessExclusiveLock ? (int)mode : throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a table-level lock mode.");

    private static int Bits(params LockMode[] modes) => modes.Aggregate(0, (bits, mode) => bits | (1 << (int)mode));
}
