namespace ReferralOS.Sdk;

/// <summary>
/// A pending migration is numbered below every applied one: the database's history starts above it. Either the
/// database was built some other way (a restore or a hand-made baseline) or the migration is a new file numbered
/// below released ones. Nothing was applied.
/// </summary>
public sealed class MigrationOutOfOrderException : MissingMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migration">The pending migration.</param>
    /// <param name="laterAppliedVersion">The lowest applied migration, numbered above it.</param>
    public MigrationOutOfOrderException(Migration migration, string laterAppliedVersion)
        : base(
            $"Migration {migration.Version} ({migration.Path}) is pending below {laterAppliedVersion}, the first migration this database applied: migrations run in number order, so it cannot run now. " +
            Remedy(migration, laterAppliedVersion),
            migration.Version,
            laterAppliedVersion)
    {
    }
}
