using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands.Local;

/// <summary><c>referralos-db local stop</c>: stops the embedded PostgreSQL, keeping its data.</summary>
internal sealed class LocalStopCommand(CliContext context, CliOutput output) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var where = LocalDevelopmentDatabase.DisplayPath(context);
        output.Summary(await LocalPostgresServer.StopAsync(LocalDevelopmentDatabase.DataDirectory(context), cancellationToken).ConfigureAwait(false)
            ? $"Stopped the local PostgreSQL in {where}; its data is kept."
            : $"The local PostgreSQL in {where} is not running; nothing to stop.");
        return ExitCodes.Ok;
    }
}
