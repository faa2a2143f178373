using System.CommandLine;
using System.Diagnostics;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db reset</c>: development only — drops the schema, migrates, seeds.</summary>
internal static class ResetCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var environment = CommonOptions.Environment(context, "Must be development: every other environment is refused.");
        var force = CommonOptions.Force("a reset");
        var execution = ExecutionCatalog.ExecutionOption();
        var historyTable = CommonOptions.HistoryTable();
        var command = new DocumentedCommand("reset", "Development only: drop the schema and everything in it (data and migration history included), then apply every migration and run the development seeds.")
        {
            Examples =
            [
                "referralos-db reset                             # start the local development database afresh",
                "referralos-db reset --force -c \"Host=localhost;Username=me;Database=referralos_dev\"",
            ],
        };
        command.Options.Add(connection);
        command.Options.Add(environment);
        command.Options.Add(force);
        command.Options.Add(execution);
        command.Options.Add(historyTable);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, parse.GetValue(connection), parse.GetValue(environment), parse.GetValue(force), parse.GetValue(execution), parse.GetValue(historyTable), ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? connection, SchemaEnvironment environment, bool force, string? execution, string? historyTable, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var catalog = await ExecutionCatalog.ResolveAsync(execution, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken).ConfigureAwait(false);
        if (!target.IsLocal && !force)
        {
            throw new NotConfirmedException("reset", $"drops every table of {target.Display} with its data");
        }

        var migrator = new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, historyTable), new ProgressLogger(output));
        await migrator.ResetAsync(environment, cancellationToken).ConfigureAwait(false);
        var migrated = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var seeded = await migrator.SeedAsync(environment, cancellationToken).ConfigureAwait(false);
        output.Summary($"Reset in {Wording.Duration(Stopwatch.GetElapsedTime(started))}: dropped the schema, applied {Wording.Count(migrated.Applied.Count, "migration")}, ran {Wording.Count(seeded.Seeds.Count, "seed")} ({Wording.Count(seeded.RowsInserted, "row")} inserted).");
        return ExitCodes.Ok;
    }
}
