namespace ReferralOS.Sdk.Local;

/// <summary>The local PostgreSQL cluster could not be found, created, started or stopped; the message says what to do.</summary>
public sealed class LocalPostgresException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LocalPostgresException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
