namespace ReferralOS.Sdk;

/// <summary>
/// A migration's statement failed. The migration's transaction was rolled back and no history row was written
/// (for a <c>Transaction: none</c> migration, statements before the failing one stay applied; see the message).
/// </summary>
public sealed class MigrationFailedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="version">The migration's version.</param>
    /// <param name="path">The migration's file.</param>
    /// <param name="line">The file line of the failing statement, or of the error inside it.</param>
    /// <param name="sqlState">PostgreSQL's SQLSTATE code, if the server reported one.</param>
    /// <param name="innerException">The underlying error.</param>
    public MigrationFailedException(string message, string version, string path, int? line, string? sqlState, Exception? innerException)
        : base(message, innerException)
    {
        Version = version;
        Path = path;
        Line = line;
        SqlState = sqlState;
    }

    /// <summary>The migration's version.</summary>
    public string Version { get; }

    /// <summary>The migration's file, relative to its project.</summary>
    public string Path { get; }

    /// <summary>The one-based file line where the error is, when known.</summary>
    public int? Line { get; }

    /// <summary>PostgreSQL's SQLSTATE code (e.g. 42P07), when the server reported one.</summary>
    public string? SqlState { get; }
}
