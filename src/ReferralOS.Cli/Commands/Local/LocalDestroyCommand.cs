using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands.Local;

/// <summary><c>referralos-db local destroy</c>: stops the embedded PostgreSQL and deletes its data folder.</summary>
internal sealed class LocalDestroyCommand(CliContext context, CliOutput output) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
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
