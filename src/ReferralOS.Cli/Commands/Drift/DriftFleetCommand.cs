using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Drift;

/// <summary>
/// <c>referralos-db drift --targets</c>: compares each database of a fleet with the schema its applied migrations build,
/// <c>--parallel</c> at a time (<see cref="SchemaMigrator.DetectDriftManyAsync"/>), and prints one line per database and
/// then each difference under its database's name; exits 11 when any could not be compared, else 3 when any drifted.
/// </summary>
internal sealed class DriftFleetCommand(CliContext context, CliOutput output, ParseResult parse, DriftCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        var targets = await FleetTargets.ResolveAsync(parse.GetValue(command.TargetsOption)!, parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var parallel = parse.GetValue(command.ParallelOption);
        var options = new FleetOptions { MaxParallelism = parallel, Migration = CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption)) };

        var started = Stopwatch.GetTimestamp();
        var results = await SchemaMigrator.DetectDriftManyAsync(catalog, targets, options, cancellationToken).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(started);
        if (output.DocumentToOut)
        {
            output.Document(JsonSerializer.Serialize(DriftFleetDocument.From(results, parallel, duration), DriftJsonContext.Default.DriftFleetDocument));
        }

        foreach (var result in results)
        {
            switch (result)
            {
                case { Error: { } error }:
                    output.Warning($"{result.Name}: could not be compared: {error.Message}");
                    break;
                case { Report.HasDrift: true }:
                    output.Warning($"{result.Name}: {Wording.Count(result.Report.Differences.Count, "difference")}");
                    foreach (var difference in result.Report.Differences)
                    {
                        output.Warning($"  {difference}");
                    }

                    break;
                default:
                    output.Line($"{result.Name}: no drift");
                    break;
            }
        }

        var failed = results.Count(r => r.Error is not null);
        var drifted = results.Count(r => r.Report?.HasDrift == true);
        var totals = FleetLines.Totals(
            [
                (results.Count - failed - drifted, "without drift"),
                (drifted, "with drift"),
                (failed, "that could not be compared"),
            ],
            results.Count,
            parallel,
            duration);
        if (failed > 0 || drifted > 0)
        {
            output.Warning($"Compared {totals}.");
            return failed > 0 ? ExitCodes.TargetsFailed : ExitCodes.ValidationFailed;
        }

        output.Summary($"Compared {totals}.");
        return ExitCodes.Ok;
    }
}
