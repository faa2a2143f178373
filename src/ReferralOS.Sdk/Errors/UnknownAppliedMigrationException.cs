namespace ReferralOS.Sdk;

/// <summary>
/// The database records migrations the code does not know: the code is older than the database (or a migration
/// file was deleted or renamed). Nothing was applied.
/// </summary>
public sealed class UnknownAppliedMigrationException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="versions">The versions the database holds that the code does not.</param>
    public UnknownAppliedMigrationException(IReadOnlyList<string> versions)
        : base($"The database has applied {string.Join(", ", versions)}, which this code does not know: the code is older than the database, or a migration file was deleted or renamed. " +
               "Deploy the code that contains these migrations (or restore the files); never delete an applied migration. Nothing was applied.")
    {
        Versions = versions;
    }

    /// <summary>The versions the database holds that the code does not.</summary>
    public IReadOnlyList<string> Versions { get; }
}
