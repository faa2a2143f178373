namespace ReferralOS.Sdk;

/// <summary>
/// A gap in the applied history: a pending migration lies between two applied ones. The database skipped it (its
/// history row was deleted, or a restore was partial), or it is a new file numbered into the middle of released
/// ones. Nothing was applied.
/// </summary>
public sealed class MigrationHistoryGapException : MissingMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migration">The pending migration.</param>
    /// <param name="earlierAppliedVersion">The highest applied migration numbered below it.</param>
    /// <param name="laterAppliedVersion">The lowest applied migration numbered above it.</param>
    public MigrationHistoryGapException(Migration migration, string earlierAppliedVersion, string laterAppliedVersion)
        : base(
            $"The applied history has a gap: migration {migration.Version} ({migration.Path}) is not applied, but {earlierAppliedVersion} below it and {laterAppliedVersion} above it are. " +
            Remedy(migration, laterAppliedVersion),
            migration.Version,
            laterAppliedVersion)
    {
        EarlierAppliedVersion = earlierAppliedVersion;
    }

    /// <summary>The highest applied migration numbered below the pending one.</summary>
    public string EarlierAppliedVersion { get; }
}
