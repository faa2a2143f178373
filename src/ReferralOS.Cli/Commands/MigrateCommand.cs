using System.CommandLine;
using System.Diagnostics;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Schema;
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
        var command = new DocumentedCommand("migrate", "Apply every pending migration in number order, each in its own transaction with its schema_migrations row. Applied migrations are checked against their checksums first; nothing runs if one was edited.")
        {
            Examples =
            [
                "referralos-db migrate --seed                    # the local development database: migrate and seed",
                "referralos-db migrate -c \"Host=db;Username=app;Password=…;Database=referralos\"",
                "referralos-db migrate --environment production  # in a deploy: the database in $REFERRALOS_DATABASE_URL, migrations only",
            ],
        };
        command.Options.Add(connection);
        command.Options.Add(environment);
        command.Options.Add(seed);
        command.Options.Add(lockWait);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, parse.GetValue(connection), parse.GetValue(environment), parse.GetValue(seed), parse.GetValue(lockWait), ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? connection, SchemaEnvironment environment, bool seed, TimeSpan? lockWait, CancellationToken cancellationToken)
    {
        if (seed && environment == SchemaEnvironment.Production)
        {
            // Refused before anything is applied: half of "migrate and seed" in production is not what was asked for.
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production; run migrate --environment production without --seed.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken).ConfigureAwait(false);
        var options = lockWait is { } wait ? new MigrationOptions { LockWaitTimeout = wait } : null;
        var migrator = new SchemaMigrator(ReferralOsSchema.Catalog, target.DataSource, options, new ProgressLogger(output));

        var migrated = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var summary = migrated.WasUpToDate
            ? $"all {Wording.Count(migrated.AlreadyApplied, "migration")} already applied"
            : $"applied {Wording.Count(migrated.Applied.Count, "migration")} (now {migrated.AlreadyApplied + migrated.Applied.Count} of {ReferralOsSchema.Migrations.Count}, up to date)";
        if (seed)
        {
            var seeded = await migrator.SeedAsync(environment, cancellationToken).ConfigureAwait(false);
            summary += $"; ran {Wording.Count(seeded.Seeds.Count, "seed")} for {environment.ToName()}, {Wording.Count(seeded.RowsInserted, "row")} inserted";
        }

        output.Summary($"{(seed ? "Migrated and seeded" : "Migrated")} in {Wording.Duration(Stopwatch.GetElapsedTime(started))}: {summary}.");
        return ExitCodes.Ok;
    }
}
