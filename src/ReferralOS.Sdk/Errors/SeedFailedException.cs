namespace ReferralOS.Sdk;

/// <summary>A seed's statement failed; its transaction was rolled back.</summary>
public sealed class SeedFailedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="version">The seed's version.</param>
    /// <param name="innerException">The underlying error.</param>
    public SeedFailedException(string message, string version, Exception? innerException)
        : base(message, innerException)
    {
        Version = version;
    }

    /// <summary>The seed's version.</summary>
    public string Version { get; }
}
