using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Importing;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Baseline;

/// <summary>
/// <c>referralos-db baseline --to &lt;version&gt;</c> and <c>baseline --from-history &lt;tool&gt;</c>: adopts a database that
/// already has what some migrations create, by recording them as applied without running them.
/// </summary>
internal sealed class BaselineCommand(CliContext context, CliOutput output, ParseResult parse, BaselineCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var historyTable = parse.GetValue(command.HistoryTableOption);
        var fromTable = parse.GetValue(command.FromTableOption);
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var options = CommonOptions.MigrationOptions(null, parse.GetValue(command.LockWaitOption), historyTable);
        SchemaMigrator migrator;
        try
        {
            migrator = new SchemaMigrator(catalog, target.DataSource, options, new ProgressLogger(output));
        }
        catch (ArgumentException ex) when (historyTable is not null)
        {
            // The runtime names the option an application sets; the CLI's user sets --history-table.
            throw new UsageException(ex.Message.Replace($"{nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)}", "--history-table", StringComparison.Ordinal).Split(" (Parameter", 2)[0]);
        }

        BaselineResult result;
        try
        {
            result = parse.GetValue(command.FromHistoryOption) is { } tool
                ? await migrator.BaselineFromHistoryAsync(tool.Name(), fromTable, cancellationToken).ConfigureAwait(false)
                : await migrator.BaselineAsync(parse.GetValue(command.ToOption)!, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (fromTable is not null && ex.ParamName == "table")
        {
            throw new UsageException("--from-table " + ex.Message.Split(" (Parameter", 2)[0]);
        }

        var last = result.Last;
        var range = result.Recorded.Count == 1 ? last.Version : $"{result.Recorded[0].Version} … {last.Version}";
        var origin = last.ImportedFrom is { } from ? $" (the last is {from})" : string.Empty;
        var rest = ReferenceEquals(last, catalog.Migrations[^1])
            ? "every migration of the code is recorded now."
            : "'referralos-db migrate' applies those above it.";
        output.Summary($"Baselined in {Wording.Duration(result.Duration)}: recorded {Wording.Count(result.Recorded.Count, "migration")} as applied, without running them: {range}{origin}; {rest}");
        return ExitCodes.Ok;
    }
}
