namespace ReferralOS.Sdk;

/// <summary>One pending migration, run on the scratch database statement by statement.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="Statements">What each of its statements did, in order.</param>
/// <param name="LockTimeout">The lock_timeout it runs with: its <c>-- Lock-Timeout:</c>, else <see cref="MigrationOptions.LockTimeout"/>.</param>
/// <param name="StatementTimeout">The statement_timeout it runs with: its <c>-- Statement-Timeout:</c>, else <see cref="MigrationOptions.StatementTimeout"/>.</param>
public sealed record ExplainedMigration(Migration Migration, IReadOnlyList<ExplainedStatement> Statements, TimeSpan LockTimeout, TimeSpan StatementTimeout)
{
    /// <summary>The migration's version, e.g. <c>011_add_payouts</c>.</summary>
    public string Version => Migration.Version;
}
