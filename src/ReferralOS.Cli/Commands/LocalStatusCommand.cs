using System.CommandLine;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db local status</c>: whether the embedded PostgreSQL exists and runs, and how to reach it.</summary>
internal static class LocalStatusCommand
{
    public static Command Create(CliContext context)
    {
        var command = new DocumentedCommand("status", "Say whether the local PostgreSQL exists and runs, on which port, and its connection string.")
        {
            Examples = ["referralos-db local status"],
        };
        command.SetAction((_, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(output, _ => Task.FromResult(Run(context, output)), cancellationToken);
        });
        return command;
    }

    private static int Run(CliContext context, CliOutput output)
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

        return ExitCodes.Ok;
    }
}
