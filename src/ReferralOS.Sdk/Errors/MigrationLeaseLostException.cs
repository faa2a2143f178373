namespace ReferralOS.Sdk;

/// <summary>
/// A run behind a pooler lost its migration lease mid-run: it was not renewed within
/// <see cref="MigrationOptions.LeaseDuration"/> (the process, its connection or the server stalled that long), so it
/// expired and another instance was granted it. The lease's fencing token is checked inside each migration's
/// transaction, so nothing of the migration in progress was committed or recorded; migrations committed before stay
/// applied. Running migrate again applies what is still pending.
/// </summary>
public sealed class MigrationLeaseLostException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost, to whom, and what to do.</param>
    /// <param name="leaseTable">The table that holds the lease, e.g. <c>public.schema_migrations_lock</c>.</param>
    /// <param name="token">The fencing token this run had been granted.</param>
    public MigrationLeaseLostException(string message, string leaseTable, long token)
        : base(message)
    {
        LeaseTable = leaseTable;
        Token = token;
    }

    /// <summary>The table that holds the lease, e.g. <c>public.schema_migrations_lock</c>.</summary>
    public string LeaseTable { get; }

    /// <summary>The fencing token this run had been granted.</summary>
    public long Token { get; }
}
