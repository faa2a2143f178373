namespace ReferralOS.Sdk;

/// <summary>
/// The history table cannot be used as it is: a table of its name has another tool's layout, a row lacks its
/// checksum, or the table cannot be located. Checked before anything runs; nothing was changed.
/// </summary>
public sealed class InvalidHistoryException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was found, where, and what to do.</param>
    /// <param name="table">The history table, as configured or resolved (e.g. <c>public.schema_migrations</c>).</param>
    /// <param name="version">The history row at fault, when one is.</param>
    public InvalidHistoryException(string message, string table, string? version = null)
        : base(message)
    {
        Table = table;
        Version = version;
    }

    /// <summary>The history table, as configured or resolved.</summary>
    public string Table { get; }

    /// <summary>The history row at fault, when one is.</summary>
    public string? Version { get; }
}
