namespace ReferralOS.Cli.Commands;

/// <summary><c>reset</c> was pointed at a database the CLI does not manage, without <c>--force</c>. Nothing was written.</summary>
/// <param name="database">The database, its password masked.</param>
internal sealed class ResetNotConfirmedException(string database)
    : Exception($"reset drops every table of {database} with its data, and was not confirmed. If that is a development database you mean to empty, run again with --force. Nothing was written.");
