namespace ReferralOS.Cli.Commands.Local;

/// <summary>The <c>local status</c> command line; <see cref="LocalStatusCommand"/> does the work.</summary>
internal sealed class LocalStatusCommandDefinition : CommandDefinition
{
    public LocalStatusCommandDefinition(CliContext context)
        : base("status", "Say whether the local PostgreSQL exists and runs, on which port, and its connection string.")
    {
        Examples = ["referralos-db local status"];
        SetHandler(context, (_, output) => new LocalStatusCommand(context, output));
    }
}
