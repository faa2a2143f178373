using System.CommandLine;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db local stop</c>: stops the embedded PostgreSQL, keeping its data.</summary>
internal static class LocalStopCommand
{
    public static Command Create(CliContext context)
    {
        var command = new DocumentedCommand("stop", "Stop the local PostgreSQL. Its data stays; the next command without --connection starts it again.")
        {
            Examples = ["referralos-db local stop"],
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
        var where = LocalDevelopmentDatabase.DisplayPath(context);
        output.Summary(await LocalPostgresServer.StopAsync(LocalDevelopmentDatabase.DataDirectory(context), cancellationToken).ConfigureAwait(false)
            ? $"Stopped the local PostgreSQL in {where}; its data is kept."
            : $"The local PostgreSQL in {where} is not running; nothing to stop.");
        return ExitCodes.Ok;
    }
}
