namespace ReferralOS.Cli.Commands.Local;

/// <summary>The <c>local</c> command line: a group whose subcommands manage the embedded development PostgreSQL in <c>.referralos/</c>.</summary>
internal sealed class LocalCommandDefinition : CommandDefinition
{
    public LocalCommandDefinition(CliContext context)
        : base("local", "Manage the embedded PostgreSQL that commands use when given no connection: a cluster from this machine's PostgreSQL binaries in .referralos/postgres under the working directory (run as root from a folder the postgres user cannot enter: in /var/lib/referralos, named by .referralos/postgres.location), listening on 127.0.0.1 only.")
    {
        Examples =
        [
            "referralos-db local status",
            "referralos-db local stop                        # the next command starts it again",
            "referralos-db local destroy                     # delete it with every database in it",
        ];
        Subcommands.Add(new LocalStatusCommandDefinition(context));
        Subcommands.Add(new LocalStopCommandDefinition(context));
        Subcommands.Add(new LocalDestroyCommandDefinition(context));
    }
}
