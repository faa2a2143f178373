using System.CommandLine;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Migrate;

/// <summary>The <c>migrate</c> command line; <see cref="MigrateCommand"/> does the work.</summary>
internal sealed class MigrateCommandDefinition : CommandDefinition
{
    public MigrateCommandDefinition(CliContext context)
        : base("migrate", "Apply every pending migration in number order, each in its own transaction with its schema_migrations row. Applied migrations are checked against their checksums first; nothing runs if one was edited.")
    {
        EnvironmentOption = CommonOptions.Environment(context, "The environment the database serves. Production takes migrations only: --seed is refused there.");
        Examples =
        [
            "referralos-db migrate --seed                    # the local development database: migrate and seed",
            "referralos-db migrate -c \"Host=db;Username=app;Password=…;Database=referralos\"",
            "referralos-db migrate --environment production  # in a deploy: the database in $REFERRALOS_DATABASE_URL, migrations only",
            "referralos-db migrate --environment production --dry-run > plan.sql   # review exactly what a deploy would run",
            "referralos-db migrate --execution ./db -c \"$DATABASE_URL\"   # your own schema, compiled from ./db",
            "referralos-db migrate --execution ./db --history-table ops.referralos_history   # beside another tool's schema_migrations",
            "referralos-db migrate --environment production --targets shards.txt --parallel 8   # every database in shards.txt, 8 at a time",
            "referralos-db migrate --targets \"sql:SELECT datname FROM pg_database WHERE datname LIKE 'tenant%'\" -c \"$ADMIN_URL\" --json",
        ];
        Options.Add(ConnectionOption);
        Options.Add(EnvironmentOption);
        Options.Add(SeedOption);
        Options.Add(LockWaitOption);
        Options.Add(DryRunOption);
        Options.Add(RebuildInvalidIndexesOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        Options.Add(TargetsOption);
        Options.Add(ParallelOption);
        Options.Add(JsonOption);
        Validators.Add(result =>
        {
            if (result.GetValue(DryRunOption) && result.GetValue(SeedOption))
            {
                result.AddError("--dry-run plans the migrations only: leave out --seed.");
            }

            if (result.GetValue(TargetsOption) is not null && (result.GetValue(DryRunOption) || result.GetValue(SeedOption)))
            {
                result.AddError("--targets migrates a fleet and takes neither --dry-run nor --seed: plan or seed one database at a time with --connection.");
            }

            if (result.GetValue(TargetsOption) is null && (result.GetResult(ParallelOption) is { Implicit: false } || result.GetValue(JsonOption)))
            {
                result.AddError("--parallel and --json go with --targets: they describe a fleet's run, one row per database.");
            }
        });
        SetHandler(
            context,
            (parse, output) => parse.GetValue(TargetsOption) is null ? new MigrateCommand(context, output, parse, this) : new MigrateFleetCommand(context, output, parse, this),
            DryRunOption,
            JsonOption);
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<DatabaseEnvironment> EnvironmentOption { get; }

    public Option<bool> SeedOption { get; } = new("--seed")
    {
        Description = "After migrating, run the environment's seeds (development and test only). Safe to repeat: seeds insert nothing that is already there.",
    };

    public Option<TimeSpan?> LockWaitOption { get; } = CommonOptions.LockWait();

    public Option<bool> DryRunOption { get; } = CommonOptions.DryRun("migrate");

    public Option<bool> RebuildInvalidIndexesOption { get; } = new("--rebuild-invalid-indexes")
    {
        Description = "When an index a Transaction: none migration builds exists INVALID (an interrupted CREATE INDEX CONCURRENTLY), drop it concurrently and build it again instead of refusing.",
    };

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();

    public Option<string?> TargetsOption { get; } = CommonOptions.Targets();

    public Option<int> ParallelOption { get; } = CommonOptions.Parallel();

    public Option<bool> JsonOption { get; } = CommonOptions.Json();
}
