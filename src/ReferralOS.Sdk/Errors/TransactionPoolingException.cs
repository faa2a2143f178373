namespace ReferralOS.Sdk;

/// <summary>
/// The migration connection goes through a transaction-pooling proxy (PgBouncer with <c>pool_mode = transaction</c>,
/// or a managed pooler): its statements ran on different server connections, so the session advisory lock that keeps
/// other instances out cannot be relied on. Refused before anything half-done could be committed or recorded.
/// </summary>
public sealed class TransactionPoolingException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was seen, what state the lock is in, and what to do.</param>
    public TransactionPoolingException(string message)
        : base(message)
    {
    }
}
