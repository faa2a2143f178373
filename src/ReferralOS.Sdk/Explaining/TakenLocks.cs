namespace ReferralOS.Sdk.Explaining;

/// <summary>Relation locks as <c>pg_locks</c> lists them (oid and mode), turned into what a reader wants: one strongest mode per relation name.</summary>
internal static class TakenLocks
{
    /// <summary>Reads the locks of the migrating backend inside its own transaction: every relation lock it holds now.</summary>
    public const string OwnQuery =
        "SELECT relation, mode FROM pg_catalog.pg_locks WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND relation >= 16384";

    /// <summary>
    /// One lock per relation name, the strongest mode taken there. A name can stand for two oids — REINDEX CONCURRENTLY
    /// builds a new index and gives it the old one's name — and then the relation that existed before the run is the one
    /// reported, since only a lock on it can make anyone wait.
    /// </summary>
    /// <param name="taken">The (oid, pg_locks.mode) pairs the statement took.</param>
    /// <param name="before">The relations before the statement.</param>
    /// <param name="after">The relations after it.</param>
    /// <param name="start">The relations when the explain run started: any other is created in the run.</param>
    public static IReadOnlyList<RelationLock> Resolve(IEnumerable<(uint Oid, string Mode)> taken, RelationSnapshot before, RelationSnapshot after, RelationSnapshot start)
    {
        var byName = new Dictionary<string, RelationLock>(StringComparer.Ordinal);
        foreach (var (oid, text) in taken)
        {
            if (!LockConflicts.TryParse(text, out var mode) || RelationSnapshot.NameOf(oid, before, after) is not { } name)
            {
                // Not a table-level mode, or a relation left out of the snapshots (a TOAST table).
                continue;
            }

            var candidate = new RelationLock(name, mode, CreatedInRun: !start.Relations.ContainsKey(oid));
            if (!byName.TryGetValue(name, out var known) || Prefer(candidate, known))
            {
                byName[name] = candidate;
            }
        }

        return byName.Values.OrderBy(l => l.Relation, StringComparer.Ordinal).ToArray();
    }

    private static bool Prefer(RelationLock candidate, RelationLock known) =>
        candidate.CreatedInRun == known.CreatedInRun ? candidate.Mode > known.Mode : !candidate.CreatedInRun;
}
