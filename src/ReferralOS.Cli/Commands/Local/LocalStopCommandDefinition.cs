namespace ReferralOS.Cli.Commands.Local;

/// <summary>The <c>local stop</c> command line; <see cref="LocalStopCommand"/> does the work.</summary>
internal sealed class LocalStopCommandDefinition : CommandDefinition
{
    public LocalStopCommandDefinition(CliContext context)
        : base("stop", "Stop the local PostgreSQL. Its data stays; the next command without --connection starts it again.")
    {
        Examples = ["referralos-db local stop"];
        SetHandler(context, (_, output) => new LocalStopCommand(context, output));
    }
}
