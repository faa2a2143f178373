using System.CommandLine;
using System.Text.Json;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Stats;

/// <summary><c>referralos-db stats</c>: rows and size per table, for explain to scale to.</summary>
internal sealed class StatsCommand(CliContext context, CliOutput output, ParseResult parse, StatsCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var statistics = await new SchemaMigrator(new MigrationCatalog([], []), target.DataSource).ReadStatisticsAsync(cancellationToken).ConfigureAwait(false);
        output.Document(JsonSerializer.Serialize(StatsDocument.From(target.Display, statistics), StatsJsonContext.Default.StatsDocument));
        output.Summary($"{Wording.Count(statistics.Tables.Count, "table")}, {statistics.Tables.Sum(t => t.Rows):N0} rows in all.");
        return ExitCodes.Ok;
    }
}
