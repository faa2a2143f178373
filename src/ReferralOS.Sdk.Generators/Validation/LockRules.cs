using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The migration files against execution/migrations.lock (<see cref="MigrationLockVerifier"/>, shared with the CLI):
/// released migrations are never edited, deleted or renamed, and the lock's sum matches its entries. Without a
/// lock file the project has not adopted one, and nothing is reported.
/// </summary>
internal static class LockRules
{
    public static void Check(IReadOnlyList<SqlFileModel> migrations, LockInput? lockInput, List<DiagnosticInfo> diagnostics)
    {
        if (lockInput is null)
        {
            return;
        }

        var lockSource = new SqlSource(lockInput.Path, lockInput.Text);
        var lockFile = MigrationLockFile.Parse(lockInput.Text);
        var files = migrations.Where(m => m.HasValidName).GroupBy(m => m.Version, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var findings = MigrationLockVerifier.Verify(lockFile, files.Values.Select(m => new MigrationChecksum(m.Version, m.Checksum)));
        foreach (var finding in findings)
        {
            var lockLine = lockSource.LocateLine(Math.Max(0, finding.LockLine));
            diagnostics.Add(finding.Kind switch
            {
                MigrationLockFindingKind.Edited => DiagnosticInfo.Create(
                    DiagnosticDescriptors.ReleasedMigrationEdited, files[finding.Version].FileLocation, finding.Version, finding.LockedChecksum!, finding.FileChecksum!),
                MigrationLockFindingKind.Missing => DiagnosticInfo.Create(
                    DiagnosticDescriptors.ReleasedMigrationMissing, lockLine, finding.Version, finding.LockedChecksum!),
                MigrationLockFindingKind.Renamed => DiagnosticInfo.Create(
                    DiagnosticDescriptors.ReleasedMigrationRenamed, files[finding.Detail!].FileLocation, files[finding.Detail!].FileName, finding.Version, finding.LockedChecksum!),
                MigrationLockFindingKind.Unreleased => DiagnosticInfo.Create(
                    DiagnosticDescriptors.MigrationNotInLock, files[finding.Version].FileLocation, finding.Version, finding.FileChecksum!),
                MigrationLockFindingKind.SumMismatch => DiagnosticInfo.Create(
                    DiagnosticDescriptors.LockSumMismatch, lockLine, finding.LockedChecksum!, finding.FileChecksum!),
                _ => DiagnosticInfo.Create(
                    DiagnosticDescriptors.LockFileMalformed, lockLine, (finding.LockLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Detail!),
            });
        }
    }
}
