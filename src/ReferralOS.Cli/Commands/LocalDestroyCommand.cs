using System.CommandLine;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db local destroy</c>: stops the embedded PostgreSQL and deletes its data folder.</summary>
internal static class LocalDestroyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new DocumentedCommand("destroy", "Stop the local PostgreSQL and delete its data folder with every database in it. The next command without --connection creates a new one.")
        {
            Examples = ["referralos-db local destroy"],
        };
        command.SetAction((_, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        var dataDirectory = LocalDevelopmentDatabase.DataDirectory(context);
        var where = LocalDevelopmentDatabase.DisplayPath(context);
        var destroyed = await LocalPostgresServer.DestroyAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        LocalDevelopmentDatabase.Forget(context, dataDirectory);

        output.Summary(destroyed
            ? $"Destroyed the local PostgreSQL in {where} and every database in it."
            : $"There is no local PostgreSQL in {where}; nothing to destroy.");
        return ExitCodes.Ok;
    }
}
