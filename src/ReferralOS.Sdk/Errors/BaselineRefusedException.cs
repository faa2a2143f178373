namespace ReferralOS.Sdk;

/// <summary>
/// A baseline (<see cref="SchemaMigrator.BaselineAsync"/>, <see cref="SchemaMigrator.BaselineFromHistoryAsync"/>) was
/// refused: the message says what was found and what to do. Everything is checked before anything is written;
/// nothing was changed.
/// </summary>
public sealed class BaselineRefusedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was found, where, and what to do.</param>
    /// <param name="reason">Why it was refused.</param>
    /// <param name="versions">The versions at fault: ReferralOS versions, or the other tool's for its own history; empty when none is.</param>
    /// <param name="tool">The tool whose history was read, for <see cref="SchemaMigrator.BaselineFromHistoryAsync"/>.</param>
    public BaselineRefusedException(string message, BaselineRefusal reason, IReadOnlyList<string>? versions = null, string? tool = null)
        : base(message)
    {
        Reason = reason;
        Versions = versions ?? [];
        Tool = tool;
    }

    /// <summary>Why it was refused.</summary>
    public BaselineRefusal Reason { get; }

    /// <summary>The versions at fault, e.g. those already recorded or those missing below the last applied one; empty when none is.</summary>
    public IReadOnlyList<string> Versions { get; }

    /// <summary>The tool whose history was read; null for <see cref="SchemaMigrator.BaselineAsync"/>.</summary>
    public string? Tool { get; }
}
