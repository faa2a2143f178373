using System.CommandLine;
using System.Diagnostics;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Migrate;

/// <summary><c>referralos-db migrate</c>: applies every pending migration; with <c>--seed</c>, runs the seeds too.</summary>
internal sealed class MigrateCommand(CliContext context, CliOutput output, ParseResult parse, MigrateCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var environment = parse.GetValue(command.EnvironmentOption);
        var seed = parse.GetValue(command.SeedOption);
        if (seed && environment == DatabaseEnvironment.Production)
        {
            // Refused before anything is applied: half of "migrate and seed" in production is not what was asked for.
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production; run migrate --environment production without --seed.");
        }

        var started = Stopwatch.GetTimestamp();
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken, environment).ConfigureAwait(false);
        var options = CommonOptions.MigrationOptions(environment, parse.GetValue(command.LockWaitOption), parse.GetValue(command.HistoryTableOption)) with
        {
            RebuildInvalidIndexes = parse.GetValue(command.RebuildInvalidIndexesOption),
        };
        var migrator = new SchemaMigrator(catalog, target.DataSource, options, new ProgressLogger(output));
        if (parse.GetValue(command.DryRunOption))
        {
            var plan = await migrator.PlanMigrationAsync(cancellationToken).ConfigureAwait(false);
            output.Document(plan.ToSql());
            output.Summary(plan.Migrations.Count == 0
                ? "Dry run: nothing to apply, the database is up to date. Nothing was changed."
                : $"Dry run: {Wording.Count(plan.Migrations.Count, "migration")} would be applied, by exactly the SQL on standard output. Nothing was changed.");
            return ExitCodes.Ok;
        }

        var migrated = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var summary = migrated.WasUpToDate
            ? $"all {Wording.Count(migrated.AlreadyApplied, "migration")} already applied"
            : $"applied {Wording.Count(migrated.Applied.Count, "migration")} (now {migrated.AlreadyApplied + migrated.Applied.Count} of {catalog.Migrations.Count}, up to date)";
        if (seed)
        {
            var seeded = await migrator.SeedAsync(environment, cancellationToken).ConfigureAwait(false);
            summary += $"; ran {Wording.Count(seeded.Seeds.Count, "seed")} for {environment.ToName()}, {Wording.Count(seeded.RowsInserted, "row")} inserted";
        }

        output.Summary($"{(seed ? "Migrated and seeded" : "Migrated")} in {Wording.Duration(Stopwatch.GetElapsedTime(started))}: {summary}.");
        return ExitCodes.Ok;
    }
}
