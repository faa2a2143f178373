namespace ReferralOS.Sdk.Testing;

/// <summary>
/// The testing kit could not get a PostgreSQL server or build a template database; the message says what was
/// tried, where, and what to do.
/// </summary>
public sealed class TestPostgresException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public TestPostgresException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
