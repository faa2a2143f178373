using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The migration files against execution/migrations.lock (<see cref="MigrationLockVerifier"/>, shared with the CLI):
/// released migrations are never edited, deleted or renamed, and the lock's sum matches its entries. Without a
/// lock file the project has not adopted one, nothing is reported and nothing is released. The stage stands beside
/// the catalog, not in it, so releasing a migration (a lock-only change) re-runs no emitter.
/// </summary>
internal static class LockRules
{
    /// <param name="migrations">The catalog's migrations, in order.</param>
    /// <param name="lockInput">The lock file, or null when the project has none.</param>
    /// <returns>Which migration files are released, and the lock's diagnostics.</returns>
    public static Result<ReleasedMigrations> Check(IReadOnlyList<SqlFileModel> migrations, LockInput? lockInput)
    {
        if (lockInput is null)
        {
            return new Result<ReleasedMigrations>(ReleasedMigrations.None, EquatableArray<DiagnosticInfo>.Empty);
        }

        var diagnostics = new List<DiagnosticInfo>();
        var lockSource = new SqlSource(lockInput.Path, lockInput.Text);
        var lockFile = MigrationLockFile.Parse(lockInput.Text);
        var byVersion = migrations.GroupBy(m => m.Version, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var findings = MigrationLockVerifier.Verify(lockFile, byVersion.Values.Select(m => new MigrationChecksum(m.Version, m.Checksum)));
        foreach (var finding in findings)
        {
            var lockLine = lockSource.LocateLine(Math.Max(0, finding.LockLine));
            diagnostics.Add(finding.Kind switch
            {
                MigrationLockFindingKind.Edited => DiagnosticInfo.Create(
                    DiagnosticDescriptors.ReleasedMigrationEdited, byVersion[finding.Version].FileLocation, finding.Version, finding.LockedChecksum!, finding.FileChecksum!),
                MigrationLockFindingKind.Missing => DiagnosticInfo.Create(
                    DiagnosticDescriptors.ReleasedMigrationMissing, lockLine, finding.Version, finding.LockedChecksum!),
                MigrationLockFindingKind.Renamed => DiagnosticInfo.Create(
                    DiagnosticDescriptors.ReleasedMigrationRenamed, byVersion[finding.Detail!].FileLocation, byVersion[finding.Detail!].FileName, finding.Version, finding.LockedChecksum!),
                MigrationLockFindingKind.Unreleased => DiagnosticInfo.Create(
                    DiagnosticDescriptors.MigrationNotInLock, byVersion[finding.Version].FileLocation, finding.Version, finding.FileChecksum!),
                MigrationLockFindingKind.SumMismatch => DiagnosticInfo.Create(
                    DiagnosticDescriptors.LockSumMismatch, lockLine, finding.LockedChecksum!, finding.FileChecksum!),
                _ => DiagnosticInfo.Create(
                    DiagnosticDescriptors.LockFileMalformed, lockLine, (finding.LockLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Detail!),
            });
        }

        // Released by version, whatever its checksum: an edited released file is ROS0020's to report, and its
        // statements are still history that has run.
        var released = new HashSet<string>(lockFile.Entries.Select(e => e.Version), StringComparer.Ordinal);
        return new Result<ReleasedMigrations>(
            ReleasedMigrations.Of(migrations.Where(m => released.Contains(m.Version)).Select(m => m.Path)),
            diagnostics.ToEquatableArray());
    }
}
