using System.CommandLine;
using System.Text.Json;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Drift;

/// <summary><c>referralos-db drift</c>: what was changed by hand in the database, against what its migrations build.</summary>
internal sealed class DriftCommand(CliContext context, CliOutput output, ParseResult parse, DriftCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var report = await new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption))).DetectDriftAsync(cancellationToken).ConfigureAwait(false);

        if (output.DocumentToOut)
        {
            output.Document(JsonSerializer.Serialize(DriftDocument.From(target.Display, report), DriftJsonContext.Default.DriftDocument));
        }

        foreach (var difference in report.Differences)
        {
            output.Warning(difference.ToString());
        }

        var compared = $"against the schema built from {Wording.Count(report.Compared.Count, "applied migration")}";
        if (report.HasDrift)
        {
            output.Warning($"{Wording.Count(report.Differences.Count, "difference")} {compared}. Undo the change by hand, or make it a migration so every database gets it.");
            return ExitCodes.ValidationFailed;
        }

        output.Summary($"No drift {compared}.");
        return ExitCodes.Ok;
    }
}
