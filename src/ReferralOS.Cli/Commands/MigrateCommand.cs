using System.CommandLine;
using System.Diagnostics;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db migrate</c>: applies every pending migration; with <c>--seed</c>, runs the seeds too.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var environment = CommonOptions.Environment(context, "The environment the database serves. Production takes migrations only: --seed is refused there.");
        var seed = new Option<bool>("--seed") { Description = "After migrating, run the environment's seeds (development and test only). Safe to repeat: seeds insert nothing that is already there." };
        var lockWait = CommonOptions.LockWait();
        var dryRun = CommonOptions.DryRun("migrate");
        var rebuild = new Option<bool>("--rebuild-invalid-indexes")
        {
            Description = "When an index a Transaction: none migration builds exists INVALID (an interrupted CREATE INDEX CONCURRENTLY), drop it concurrently and build it again instead of refusing.",
        };
        var execution = ExecutionCatalog.ExecutionOption();
        var historyTable = CommonOptions.HistoryTable();
        var command = new DocumentedCommand("migrate", "Apply every pending migration in number order, each in its own transaction with its schema_migrations row. Applied migrations are checked against their checksums first; nothing runs if one was edited.")
        {
            Examples =
            [
                "referralos-db migrate --seed                    # the local development database: migrate and seed",
                "referralos-db migrate -c \"Host=db;Username=app;Password=…;Database=referralos\"",
                "referralos-db migrate --environment production  # in a deploy: the database in $REFERRALOS_DATABASE_URL, migrations only",
                "referralos-db migrate --environment production --dry-run > plan.sql   # review exactly what a deploy would run",
                "referralos-db migrate --execution ./db -c \"$DATABASE_URL\"   # your own schema, compiled from ./db",
                "referralos-db migrate --execution ./db --history-table ops.referralos_history   # beside another tool's schema_migrations",
            ],
        };
        command.Options.Add(connection);
        command.Options.Add(environment);
        command.Options.Add(seed);
        command.Options.Add(lockWait);
        command.Options.Add(dryRun);
        command.Options.Add(rebuild);
        command.Options.Add(execution);
        command.Options.Add(historyTable);
        command.Validators.Add(result =>
        {
            if (result.GetValue(dryRun) && result.GetValue(seed))
            {
                result.AddError("--dry-run plans the migrations only: leave out --seed.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context, documentToOut: parse.GetValue(dryRun));
            var request = new Request(parse.GetValue(connection), parse.GetValue(environment), parse.GetValue(seed), parse.GetValue(lockWait), parse.GetValue(dryRun), parse.GetValue(rebuild), parse.GetValue(execution), parse.GetValue(historyTable));
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, request, ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, Request request, CancellationToken cancellationToken)
    {
        var (connection, environment, seed, lockWait, dryRun, rebuild, execution, historyTable) = request;
        if (seed && environment == SchemaEnvironment.Production)
        {
            // Refused before anything is applied: half of "migrate and seed" in production is not what was asked for.
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production; run migrate --environment production without --seed.");
        }

        var started = Stopwatch.GetTimestamp();
        var catalog = await ExecutionCatalog.ResolveAsync(execution, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken, environment).ConfigureAwait(false);
        var options = CommonOptions.MigrationOptions(environment, lockWait, historyTable) with { RebuildInvalidIndexes = rebuild };
        var migrator = new SchemaMigrator(catalog, target.DataSource, options, new ProgressLogger(output));
        if (dryRun)
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

    private sealed record Request(string? Connection, SchemaEnvironment Environment, bool Seed, TimeSpan? LockWait, bool DryRun, bool RebuildInvalidIndexes, string? Execution, string? HistoryTable);
}
