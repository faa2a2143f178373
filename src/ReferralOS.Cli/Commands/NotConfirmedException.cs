namespace ReferralOS.Cli.Commands;

/// <summary>
/// A destructive command (<c>reset</c>, <c>rollback</c>) was pointed at a database the CLI does not manage,
/// without <c>--force</c>. Nothing was written.
/// </summary>
/// <param name="command">The command, e.g. "reset".</param>
/// <param name="consequence">What it would destroy, naming the database with its password masked.</param>
internal sealed class NotConfirmedException(string command, string consequence)
    : Exception($"{command} {consequence}, and was not confirmed. If that is a development database you mean to change, run again with --force. Nothing was written.");
