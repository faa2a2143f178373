using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Status;

/// <summary>
/// <c>referralos-db status --targets</c>: reads each database of a fleet, <c>--parallel</c> at a time, one round trip each
/// (<see cref="SchemaMigrator.StatusManyAsync"/>), and prints one row per database; exits 11 when any could not be read or
/// has a history migrate would refuse.
/// </summary>
internal sealed class StatusFleetCommand(CliContext context, CliOutput output, ParseResult parse, StatusCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        var targets = await FleetTargets.ResolveAsync(parse.GetValue(command.TargetsOption)!, parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var parallel = parse.GetValue(command.ParallelOption);
        var options = new FleetOptions { MaxParallelism = parallel, Migration = CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption)) };

        var started = Stopwatch.GetTimestamp();
        var results = await SchemaMigrator.StatusManyAsync(catalog, targets, options, cancellationToken).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(started);
        if (output.DocumentToOut)
        {
            output.Document(JsonSerializer.Serialize(FleetStatusDocument.From(results, parallel, duration), FleetJsonContext.Default.FleetStatusDocument));
        }
        else
        {
            FleetLines.WriteStatuses(output, results);
        }

        var states = results.Select(FleetLines.StateOf).ToArray();
        var bad = states.Count(s => s is FleetLines.Failed or FleetLines.Problem);
        var totals = FleetLines.Totals(
            [
                (states.Count(s => s == FleetLines.UpToDate), "up to date"),
                (states.Count(s => s == FleetLines.Pending), "with migrations pending"),
                (states.Count(s => s == FleetLines.Problem), "that migrate would refuse or with an INVALID index"),
                (states.Count(s => s == FleetLines.Failed), "that could not be read"),
            ],
            results.Count,
            parallel,
            duration);
        if (bad > 0)
        {
            output.Warning($"Read {totals}.");
            return ExitCodes.TargetsFailed;
        }

        output.Summary($"Read {totals}.");
        return ExitCodes.Ok;
    }
}
