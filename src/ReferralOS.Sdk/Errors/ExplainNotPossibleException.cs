namespace ReferralOS.Sdk;

/// <summary>
/// <see cref="SchemaMigrator.ExplainAsync"/> cannot explain what was asked: the version named with
/// <see cref="ExplainOptions.Only"/> is unknown, or not pending. Checked before any statement runs; the database was
/// not touched.
/// </summary>
public sealed class ExplainNotPossibleException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What, and what to do.</param>
    /// <param name="version">The version asked for.</param>
    public ExplainNotPossibleException(string message, string version)
        : base(message)
    {
        Version = version;
    }

    /// <summary>The version asked for.</summary>
    public string Version { get; }
}
