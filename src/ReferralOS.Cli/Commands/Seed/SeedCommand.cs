using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Seed;

/// <summary><c>referralos-db seed</c>: runs the seeds meant for an environment; never in production.</summary>
internal sealed class SeedCommand(CliContext context, CliOutput output, ParseResult parse, SeedCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var environment = parse.GetValue(command.EnvironmentOption);
        if (environment == DatabaseEnvironment.Production)
        {
            // Refused before any database is looked for, let alone started.
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production.");
        }

        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken, environment).ConfigureAwait(false);
        var migrator = new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption)), new ProgressLogger(output));
        var seeded = await migrator.SeedAsync(environment, cancellationToken).ConfigureAwait(false);
        output.Summary($"Seeded {environment.ToName()} in {Wording.Duration(seeded.Duration)}: ran {Wording.Count(seeded.Seeds.Count, "seed")}, {Wording.Count(seeded.RowsInserted, "row")} inserted.");
        return ExitCodes.Ok;
    }
}
