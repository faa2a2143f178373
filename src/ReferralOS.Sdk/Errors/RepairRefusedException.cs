namespace ReferralOS.Sdk;

/// <summary>
/// <see cref="SchemaMigrator.RepairAsync"/> had nothing to accept: the code has no migration of that version, the
/// database has not applied it, or its recorded checksum already is the file's. Nothing was changed.
/// </summary>
public sealed class RepairRefusedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why, and what to do; it ends by saying nothing was changed.</param>
    /// <param name="version">The version asked for.</param>
    public RepairRefusedException(string message, string version)
        : base(message)
    {
        Version = version;
    }

    /// <summary>The version asked for.</summary>
    public string Version { get; }
}
