using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands.Local;

/// <summary><c>referralos-db local status</c>: whether the embedded PostgreSQL exists and runs, and how to reach it.</summary>
internal sealed class LocalStatusCommand(CliContext context, CliOutput output) : ICommandHandler
{
    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = LocalDevelopmentDatabase.DataDirectory(context);
        var where = LocalDevelopmentDatabase.DisplayPath(context);
        if (LocalPostgresServer.RunningPort(dataDirectory) is { } port)
        {
            output.Line($"Connection: {LocalPostgresServer.ConnectionStringFor(port, LocalDevelopmentDatabase.DatabaseName)}");
            output.Summary($"The local PostgreSQL in {where} is running on port {port}.");
        }
        else if (LocalPostgresServer.Exists(dataDirectory))
        {
            output.Summary($"The local PostgreSQL in {where} is stopped; the next command without --connection starts it.");
        }
        else
        {
            output.Summary($"There is no local PostgreSQL in {where}; the next command without --connection creates one.");
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}
