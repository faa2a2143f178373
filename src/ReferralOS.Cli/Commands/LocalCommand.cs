using System.CommandLine;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db local</c>: manages the embedded development PostgreSQL in <c>.referralos/</c>.</summary>
internal static class LocalCommand
{
    public static Command Create(CliContext context)
    {
        var command = new DocumentedCommand("local", "Manage the embedded PostgreSQL that commands use when given no connection: a cluster from this machine's PostgreSQL binaries in .referralos/postgres under the working directory (run as root from a folder the postgres user cannot enter: in /var/lib/referralos, named by .referralos/postgres.location), listening on 127.0.0.1 only.")
        {
            Examples =
            [
                "referralos-db local status",
                "referralos-db local stop                        # the next command starts it again",
                "referralos-db local destroy                     # delete it with every database in it",
            ],
        };
        command.Subcommands.Add(LocalStatusCommand.Create(context));
        command.Subcommands.Add(LocalStopCommand.Create(context));
        command.Subcommands.Add(LocalDestroyCommand.Create(context));
        return command;
    }
}
