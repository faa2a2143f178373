namespace ReferralOS.Sdk;

/// <summary>
/// A run was cancelled (its <see cref="CancellationToken"/>, Ctrl+C or SIGTERM in the CLI) while a migration ran. The
/// message says what that leaves behind, which depends on the file: a transactional migration rolled back whole; a
/// <c>Transaction: none</c> one keeps the statements that completed, is not recorded, and may have left an INVALID
/// index that the next run reports.
/// </summary>
public sealed class MigrationCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was interrupted and what it leaves behind.</param>
    /// <param name="version">The migration that was running.</param>
    /// <param name="innerException">The cancellation as Npgsql reported it.</param>
    /// <param name="token">The token that was cancelled.</param>
    public MigrationCanceledException(string message, string version, Exception? innerException, CancellationToken token)
        : base(message, innerException, token)
    {
        Version = version;
    }

    /// <summary>The migration that was running.</summary>
    public string Version { get; }
}
