namespace ReferralOS.Sdk;

/// <summary>
/// The base of every error the schema runtime raises on purpose. Each derived type says what went wrong, where,
/// and what to do; catch this one to handle them all.
/// </summary>
public abstract class MigrationException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What went wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected MigrationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
