using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Migrate;

/// <summary>
/// <c>referralos-db migrate --targets</c>: applies every pending migration to each database of a fleet, <c>--parallel</c> at
/// a time (<see cref="SchemaMigrator.MigrateManyAsync"/>), and prints one row per database; exits 11 when any failed.
/// </summary>
internal sealed class MigrateFleetCommand(CliContext context, CliOutput output, ParseResult parse, MigrateCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        var targets = await FleetTargets.ResolveAsync(parse.GetValue(command.TargetsOption)!, parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var parallel = parse.GetValue(command.ParallelOption);
        var options = new FleetOptions
        {
            MaxParallelism = parallel,
            Migration = CommonOptions.MigrationOptions(parse.GetValue(command.EnvironmentOption), parse.GetValue(command.LockWaitOption), parse.GetValue(command.HistoryTableOption)) with
            {
                RebuildInvalidIndexes = parse.GetValue(command.RebuildInvalidIndexesOption),
            },
        };

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<FleetMigrationResult> results;
        try
        {
            results = await SchemaMigrator.MigrateManyAsync(catalog, targets, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            output.Warning(
                "Cancelled: no further database was started, and on each one in progress the migration running rolled back (a Transaction: none one keeps the statements it completed, unrecorded). " +
                "Run the same command again to finish: databases already up to date cost one round trip, and the rest apply only what is left.");
            return ExitCodes.Cancelled;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        if (output.DocumentToOut)
        {
            output.Document(JsonSerializer.Serialize(FleetMigrateDocument.From(results, parallel, duration), FleetJsonContext.Default.FleetMigrateDocument));
        }
        else
        {
            FleetLines.WriteMigrations(output, results);
        }

        var failed = results.Count(r => r.Outcome == FleetOutcome.Failed);
        var totals = FleetLines.Totals(
            [
                (results.Count(r => r.Outcome == FleetOutcome.Applied), $"migrated ({Wording.Count(results.Sum(r => r.AppliedCount), "migration")} applied)"),
                (results.Count(r => r.Outcome == FleetOutcome.UpToDate), "already up to date"),
                (failed, "failed"),
            ],
            results.Count,
            parallel,
            duration);
        if (failed > 0)
        {
            output.Warning($"Migrated {totals}. Fix what each failure says and run the same command again: it does only what is left.");
            return ExitCodes.TargetsFailed;
        }

        output.Summary($"Migrated {totals}.");
        return ExitCodes.Ok;
    }
}
