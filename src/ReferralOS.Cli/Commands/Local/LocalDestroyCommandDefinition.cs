namespace ReferralOS.Cli.Commands.Local;

/// <summary>The <c>local destroy</c> command line; <see cref="LocalDestroyCommand"/> does the work.</summary>
internal sealed class LocalDestroyCommandDefinition : CommandDefinition
{
    public LocalDestroyCommandDefinition(CliContext context)
        : base("destroy", "Stop the local PostgreSQL and delete its data folder with every database in it. The next command without --connection creates a new one.")
    {
        Examples = ["referralos-db local destroy"];
        SetHandler(context, (_, output) => new LocalDestroyCommand(context, output));
    }
}
