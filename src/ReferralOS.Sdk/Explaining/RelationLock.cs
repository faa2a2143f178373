namespace ReferralOS.Sdk;

/// <summary>One relation a statement locked, and the strongest mode it took on it, as <c>pg_locks</c> showed it.</summary>
/// <param name="Relation">The relation as <c>regclass</c> prints it: bare when the search_path finds it, else <c>schema.name</c>.</param>
/// <param name="Mode">The strongest mode the statement took on it.</param>
/// <param name="CreatedInRun">
/// The relation did not exist when the explain run started: the statement, or an earlier one of the same run, created
/// it, so nobody else can be waiting for it and its lock is never a finding.
/// </param>
public sealed record RelationLock(string Relation, LockMode Mode, bool CreatedInRun)
{
    /// <summary>The ordinary operations on the relation that wait while the lock is held.</summary>
    public BlockedOperations Blocks => LockConflicts.Blocks(Mode);

    /// <summary>Whether the lock makes other sessions' reads or writes wait on a relation that existed before the run.</summary>
    public bool IsBlocking => !CreatedInRun && (Blocks & (BlockedOperations.Reads | BlockedOperations.LockingReads | BlockedOperations.Writes)) != 0;

    /// <summary>Whether the lock makes INSERT, UPDATE and DELETE wait on a relation that existed before the run.</summary>
    public bool BlocksWrites => !CreatedInRun && LockConflicts.BlocksWrites(Mode);
}
