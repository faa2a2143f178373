namespace ReferralOS.Sdk;

/// <summary>
/// A scratch database — the throwaway database on the same server that drift builds the expected schema in — could
/// not be created or dropped. The message says why and, for a drop, the statement to run by hand.
/// </summary>
public sealed class ScratchDatabaseException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="database">The scratch database's name.</param>
    /// <param name="innerException">The underlying error.</param>
    public ScratchDatabaseException(string message, string database, Exception? innerException = null)
        : base(message, innerException)
    {
        Database = database;
    }

    /// <summary>The scratch database's name, e.g. <c>referralos_scratch_drift_3f9c2a61b0d4</c>.</summary>
    public string Database { get; }
}
