namespace ReferralOS.Sdk;

/// <summary>One migration a plan would apply or revert, and exactly the commands the runtime would send for it.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Path">The migration's file.</param>
/// <param name="TransactionMode">Whether the commands run in one transaction or one by one.</param>
/// <param name="Commands">
/// The commands in the order they would be sent, each one statement without its semicolon: timeouts, the file's
/// statements, and the history row written (Up) or removed (Down).
/// </param>
public sealed record PlannedMigration(string Version, string Path, MigrationTransactionMode TransactionMode, IReadOnlyList<string> Commands);
