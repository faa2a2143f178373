namespace ReferralOS.Sdk;

/// <summary>
/// A rollback cannot run as asked: the target version is unknown or not applied, or a migration it would revert
/// documents no Down section. Checked before anything runs; nothing was changed.
/// </summary>
public sealed class RollbackNotPossibleException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What, where and what to do.</param>
    /// <param name="version">The version at fault: the target, or the migration without a Down section.</param>
    public RollbackNotPossibleException(string message, string version)
        : base(message)
    {
        Version = version;
    }

    /// <summary>The version at fault: the target, or the migration without a Down section.</summary>
    public string Version { get; }
}
