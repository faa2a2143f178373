namespace ReferralOS.Sdk;

/// <summary>
/// A migration is pending although a later one is applied, so it cannot run in number order. Nothing was applied.
/// Catch this to handle both shapes: <see cref="MigrationHistoryGapException"/> (applied migrations on both sides
/// of it) and <see cref="MigrationOutOfOrderException"/> (none applied below it).
/// </summary>
public abstract class MissingMigrationException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What, where and what to do.</param>
    /// <param name="version">The pending migration.</param>
    /// <param name="laterAppliedVersion">The lowest applied migration numbered above it.</param>
    private protected MissingMigrationException(string message, string version, string laterAppliedVersion)
        : base(message)
    {
        Version = version;
        LaterAppliedVersion = laterAppliedVersion;
    }

    /// <summary>The pending migration.</summary>
    public string Version { get; }

    /// <summary>The lowest applied migration numbered above it.</summary>
    public string LaterAppliedVersion { get; }

    private protected static string Remedy(Migration migration, string laterAppliedVersion) =>
        $"If {migration.Version} is a new file (say, merged from a branch after {laterAppliedVersion} was applied), renumber it above the last applied migration. " +
        $"If it was released and this database already has its objects, record it: INSERT INTO schema_migrations (version, checksum) VALUES ('{migration.Version}', '{migration.Checksum}'); " +
        "if it does not have them, review and run its Up section by hand, then record it. Nothing was applied.";
}
