namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>What a comparison of migration files with <c>migrations.lock</c> (or with a database's history) found.</summary>
public enum MigrationLockFindingKind
{
    /// <summary>A released migration's file no longer has the checksum the lock records: it was edited.</summary>
    Edited,

    /// <summary>A released migration has no file any more: it was deleted, or renamed to something else.</summary>
    Missing,

    /// <summary>A released migration's text is now in a file of another name: it was renamed or renumbered.</summary>
    Renamed,

    /// <summary>A migration that is not in the lock yet: fine until it is released with <c>referralos-db lock</c>.</summary>
    Unreleased,

    /// <summary>The <c>sum</c> line does not match the entries: they were edited or merged by hand.</summary>
    SumMismatch,

    /// <summary>A line of the lock file could not be read.</summary>
    MalformedLine,
}
