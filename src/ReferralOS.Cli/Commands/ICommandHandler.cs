namespace ReferralOS.Cli.Commands;

/// <summary>The work of one command for one invocation, made by its <see cref="CommandDefinition"/> from the parsed command line.</summary>
internal interface ICommandHandler
{
    /// <summary>Does the command's work.</summary>
    /// <param name="cancellationToken">Ctrl+C, or the caller's.</param>
    /// <returns>The exit code; see <see cref="ExitCodes"/>.</returns>
    Task<int> RunAsync(CancellationToken cancellationToken);
}
