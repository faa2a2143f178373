using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>One finding of <see cref="MigrationLockVerifier"/>.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Version">The migration it is about (for a renamed one, the released version).</param>
/// <param name="LockedChecksum">The checksum the lock (or the database) records, when there is one.</param>
/// <param name="FileChecksum">The checksum the file has now, when there is a file.</param>
/// <param name="LockLine">The zero-based line in the lock file, or -1 (a migration the lock does not list, or a finding about a database's history).</param>
/// <param name="Detail">For <see cref="MigrationLockFindingKind.Renamed"/> the version the text now has; for a malformed line, what is wrong.</param>
public sealed record MigrationLockFinding(
    MigrationLockFindingKind Kind,
    string Version,
    string? LockedChecksum,
    string? FileChecksum,
    int LockLine,
    string? Detail = null)
{
    /// <summary>Whether the finding must stop a build or a CI run (everything but <see cref="MigrationLockFindingKind.Unreleased"/>).</summary>
    public bool IsError => Kind != MigrationLockFindingKind.Unreleased;

    /// <summary>One line for a terminal: what, which migration, both checksums, and what to do.</summary>
    /// <returns>The message.</returns>
    public override string ToString() => Kind switch
    {
        MigrationLockFindingKind.Edited => HistoryComparison.EditedMessage(Version, released: LockLine >= 0, LockedChecksum!, FileChecksum!),
        MigrationLockFindingKind.Missing => $"{Version}: released with checksum {LockedChecksum} but there is no such file; restore it (a released migration is never deleted)",
        MigrationLockFindingKind.Renamed => $"{Version}: released with checksum {LockedChecksum} but its text is now in {Detail}; rename the file back to {Version}.sql",
        MigrationLockFindingKind.Unreleased => $"{Version}: not released yet (checksum {FileChecksum}); run `referralos-db lock` when it is ready to ship",
        MigrationLockFindingKind.SumMismatch => $"the sum line records {LockedChecksum} but the entries hash to {FileChecksum}; the lock was edited or merged by hand: run `referralos-db lock`",
        _ => $"line {LockLine + 1}: {Detail}",
    };
}
