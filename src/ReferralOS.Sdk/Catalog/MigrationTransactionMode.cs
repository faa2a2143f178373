namespace ReferralOS.Sdk;

/// <summary>How a migration's statements are run, from its <c>-- Transaction:</c> header directive.</summary>
public enum MigrationTransactionMode
{
    /// <summary>The default: all statements and the history row commit together, or none of them do.</summary>
    Transactional,

    /// <summary>
    /// <c>-- Transaction: none</c>: each statement is sent on its own, outside any transaction (needed for
    /// <c>CREATE INDEX CONCURRENTLY</c> and friends); the history row is written after all of them succeed.
    /// </summary>
    None,
}
