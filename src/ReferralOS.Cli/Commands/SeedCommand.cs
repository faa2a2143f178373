using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db seed</c>: runs the seeds meant for an environment; never in production.</summary>
internal static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var execution = ExecutionCatalog.ExecutionOption();
        var historyTable = CommonOptions.HistoryTable();
        var environment = CommonOptions.Environment(context, "Runs the seeds whose -- Environment: header names it. Production is refused before anything is written.");
        var command = new DocumentedCommand("seed", "Run the development or test seeds, each in its own transaction. Seeds insert with ON CONFLICT DO NOTHING, so running them again inserts nothing. Migrate first.")
        {
            Examples =
            [
                "referralos-db seed                              # the local development database",
                "referralos-db seed --environment test -c \"Host=localhost;Username=ci;Database=referralos_test\"",
            ],
        };
        command.Options.Add(connection);
        command.Options.Add(environment);
        command.Options.Add(execution);
        command.Options.Add(historyTable);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, parse.GetValue(connection), parse.GetValue(environment), parse.GetValue(execution), parse.GetValue(historyTable), ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? connection, SchemaEnvironment environment, string? execution, string? historyTable, CancellationToken cancellationToken)
    {
        if (environment == SchemaEnvironment.Production)
        {
            // Refused before any database is looked for, let alone started.
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production.");
        }

        var catalog = await ExecutionCatalog.ResolveAsync(execution, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken, environment).ConfigureAwait(false);
        var migrator = new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, historyTable), new ProgressLogger(output));
        var seeded = await migrator.SeedAsync(environment, cancellationToken).ConfigureAwait(false);
        output.Summary($"Seeded {environment.ToName()} in {Wording.Duration(seeded.Duration)}: ran {Wording.Count(seeded.Seeds.Count, "seed")}, {Wording.Count(seeded.RowsInserted, "row")} inserted.");
        return ExitCodes.Ok;
    }
}
