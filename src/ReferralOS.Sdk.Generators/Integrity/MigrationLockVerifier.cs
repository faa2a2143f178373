using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>
/// Compares migration files with <c>migrations.lock</c> and with a database's <c>schema_migrations</c>. The build
/// (through the source generator) and the <c>referralos-db lock</c>/<c>verify</c> commands share this logic.
/// </summary>
public static class MigrationLockVerifier
{
    /// <summary>Compares the migration files as they are with the lock file.</summary>
    /// <param name="lockFile">The parsed lock file.</param>
    /// <param name="files">Every migration file: version and checksum.</param>
    /// <returns>The findings: malformed lines and a sum mismatch first, then per migration in lock order, then unreleased files.</returns>
    public static IReadOnlyList<MigrationLockFinding> Verify(MigrationLockFile lockFile, IEnumerable<MigrationChecksum> files)
    {
        var findings = new List<MigrationLockFinding>();
        findings.AddRange(lockFile.Errors.Select(e => new MigrationLockFinding(MigrationLockFindingKind.MalformedLine, string.Empty, null, null, e.Line, e.Reason)));
        if (lockFile.RecordedSum is null || !lockFile.SumMatches)
        {
            findings.Add(new MigrationLockFinding(MigrationLockFindingKind.SumMismatch, string.Empty, lockFile.RecordedSum ?? "nothing", lockFile.ComputedSum, lockFile.SumLine));
        }

        var all = files.ToList();
        var comparison = HistoryComparison.Compare(all, static f => f.Version, static f => f.Checksum, lockFile.Entries, static e => e.Version, static e => e.Checksum);
        var renamedTo = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in comparison.Where(e => e.Recorded >= 0))
        {
            var locked = lockFile.Entries[entry.Recorded];
            if (entry.Match == HistoryMatch.Edited)
            {
                findings.Add(new MigrationLockFinding(MigrationLockFindingKind.Edited, locked.Version, locked.Checksum, all[entry.Code].Checksum, locked.Line));
            }
            else if (entry.Match == HistoryMatch.Unknown)
            {
                // No file of its version: its text may be in an unreleased file of another name.
                var moved = comparison
                    .Where(e => e.Match == HistoryMatch.Pending)
                    .Select(e => all[e.Code])
                    .FirstOrDefault(f => string.Equals(f.Checksum, locked.Checksum, StringComparison.Ordinal));
                if (moved is not null)
                {
                    renamedTo.Add(moved.Version);
                    findings.Add(new MigrationLockFinding(MigrationLockFindingKind.Renamed, locked.Version, locked.Checksum, moved.Checksum, locked.Line, moved.Version));
                }
                else
                {
                    findings.Add(new MigrationLockFinding(MigrationLockFindingKind.Missing, locked.Version, locked.Checksum, null, locked.Line));
                }
            }
        }

        findings.AddRange(comparison
            .Where(e => e.Match == HistoryMatch.Pending && !renamedTo.Contains(all[e.Code].Version))
            .Select(e => all[e.Code])
            .OrderBy(f => f.Version, StringComparer.Ordinal)
            .Select(f => new MigrationLockFinding(MigrationLockFindingKind.Unreleased, f.Version, null, f.Checksum, -1)));
        return findings;
    }

    /// <summary>
    /// Releases every unreleased migration: what <c>referralos-db lock</c> does. Refused while a released
    /// migration was edited, deleted or renamed, since re-locking would hide exactly that.
    /// </summary>
    /// <param name="lockFile">The current lock file, or null when there is none yet.</param>
    /// <param name="files">Every migration file: version and checksum.</param>
    /// <returns>The new text and what it adds, or the findings that block it.</returns>
    public static MigrationLockUpdate Update(MigrationLockFile? lockFile, IEnumerable<MigrationChecksum> files)
    {
        var all = files.ToList();
        var findings = lockFile is null
            ? all.Select(f => new MigrationLockFinding(MigrationLockFindingKind.Unreleased, f.Version, null, f.Checksum, -1)).ToList()
            : Verify(lockFile, all).ToList();
        var blocking = findings.Where(f => f.Kind is MigrationLockFindingKind.Edited or MigrationLockFindingKind.Missing or MigrationLockFindingKind.Renamed or MigrationLockFindingKind.MalformedLine).ToList();
        var kept = lockFile?.Entries.Select(e => new MigrationChecksum(e.Version, e.Checksum)) ?? Enumerable.Empty<MigrationChecksum>();
        var added = findings.Where(f => f.Kind == MigrationLockFindingKind.Unreleased).Select(f => new MigrationChecksum(f.Version, f.FileChecksum!)).ToList();
        return new MigrationLockUpdate(MigrationLockFile.Write(kept.Concat(added)), added.Select(a => a.Version).ToList(), blocking);
    }

    /// <summary>
    /// Compares what a database recorded in <c>schema_migrations</c> with the migration files: an applied version
    /// whose file is gone, or whose checksum differs, is a finding (<see cref="MigrationLockFindingKind.Missing"/>,
    /// <see cref="MigrationLockFindingKind.Edited"/>; <see cref="MigrationLockFinding.LockedChecksum"/> is the database's).
    /// </summary>
    /// <param name="applied">The (version, checksum) rows of schema_migrations.</param>
    /// <param name="files">Every migration file: version and checksum.</param>
    /// <returns>The findings, in the order of <paramref name="applied"/>.</returns>
    public static IReadOnlyList<MigrationLockFinding> VerifyHistory(IEnumerable<MigrationChecksum> applied, IEnumerable<MigrationChecksum> files)
    {
        var rows = applied.ToList();
        var all = files.ToList();
        return HistoryComparison.Compare(all, static f => f.Version, static f => f.Checksum, rows, static r => r.Version, static r => r.Checksum)
            .Where(e => e.Match is HistoryMatch.Unknown or HistoryMatch.Edited)
            .Select(e => new MigrationLockFinding(
                e.Match == HistoryMatch.Unknown ? MigrationLockFindingKind.Missing : MigrationLockFindingKind.Edited,
                rows[e.Recorded].Version,
                rows[e.Recorded].Checksum,
                e.Code >= 0 ? all[e.Code].Checksum : null,
                -1))
            .ToList();
    }
}
