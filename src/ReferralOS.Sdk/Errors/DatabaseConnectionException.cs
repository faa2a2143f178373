namespace ReferralOS.Sdk;

/// <summary>The database could not be reached or refused the connection: a bad connection string, host, password or database.</summary>
public sealed class DatabaseConnectionException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to check; never contains a password.</param>
    /// <param name="innerException">The underlying error.</param>
    public DatabaseConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
