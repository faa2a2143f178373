using System.CommandLine;
using System.Diagnostics;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Reset;

/// <summary><c>referralos-db reset</c>: development only — drops the schema, migrates, seeds.</summary>
internal sealed class ResetCommand(CliContext context, CliOutput output, ParseResult parse, ResetCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var environment = parse.GetValue(command.EnvironmentOption);
        var started = Stopwatch.GetTimestamp();
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        if (!target.IsLocal && !parse.GetValue(command.ForceOption))
        {
            throw new NotConfirmedException("reset", $"drops every table of {target.Display} with its data");
        }

        var migrator = new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption)), new ProgressLogger(output));
        await migrator.ResetAsync(environment, cancellationToken).ConfigureAwait(false);
        var migrated = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var seeded = await migrator.SeedAsync(environment, cancellationToken).ConfigureAwait(false);
        output.Summary($"Reset in {Wording.Duration(Stopwatch.GetElapsedTime(started))}: dropped the schema, applied {Wording.Count(migrated.Applied.Count, "migration")}, ran {Wording.Count(seeded.Seeds.Count, "seed")} ({Wording.Count(seeded.RowsInserted, "row")} inserted).");
        return ExitCodes.Ok;
    }
}
