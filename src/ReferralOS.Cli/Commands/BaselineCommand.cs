using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Importing;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// <c>referralos-db baseline --to &lt;version&gt;</c> and <c>baseline --from-history &lt;tool&gt;</c>: adopts a database that
/// already has what some migrations create, by recording them as applied without running them.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create(CliContext context)
    {
        var to = new Option<string?>("--to")
        {
            Description = "Record every migration up to and including this version as applied, e.g. 342_rename_resolve_reason; the database must already have what they create.",
            HelpName = "version",
        };
        var fromHistory = new Option<SourceTool?>("--from-history")
        {
            Description = "Record exactly what this tool applied, read from its own history table and matched to each migration's Imported-From line: " +
                          string.Join(", ", SourceTools.All.Select(t => t.Name())) + ". Refused on a dirty or failed migration, and on an applied set that is not the first migrations in order.",
            HelpName = string.Join('|', SourceTools.All.Select(t => t.Name())),
            CustomParser = result =>
            {
                var name = result.Tokens[0].Value;
                if (SourceTools.TryParse(name, out var tool))
                {
                    return tool;
                }

                result.AddError($"--from-history is '{name}', which is not a tool whose history baseline reads: use {string.Join(", ", SourceTools.All.Select(t => t.Name()))}.");
                return null;
            },
        };
        var fromTable = new Option<string?>("--from-table")
        {
            Description = "With --from-history: the tool's history table when it is not the tool's default name (found through the search_path), as name or schema.name, e.g. schema_version for Flyway before version 5.",
            HelpName = "table",
        };
        var historyTable = CommonOptions.HistoryTable();
        var connection = CommonOptions.Connection();
        var lockWait = CommonOptions.LockWait();
        var execution = ExecutionCatalog.ExecutionOption();
        var command = new DocumentedCommand("baseline", "Adopt a database another tool (or a hand) already migrated: record the migrations it already has as applied, with their checksums, without running them, so that migrate applies only the rest. Holds the migration lock and writes every row in one transaction; refuses (exit 3), changing nothing, a database that already records any of them.")
        {
            Examples =
            [
                "referralos-db baseline --from-history diesel --execution ./execution -c \"$DATABASE_URL\"   # exactly what diesel applied",
                "referralos-db baseline --from-history golang-migrate --history-table referralos.schema_migrations -c \"$DATABASE_URL\"",
                "referralos-db baseline --to 342_rename_resolve_reason --execution ./execution -c \"$DATABASE_URL\"",
            ],
        };
        command.Options.Add(to);
        command.Options.Add(fromHistory);
        command.Options.Add(fromTable);
        command.Options.Add(historyTable);
        command.Options.Add(connection);
        command.Options.Add(lockWait);
        command.Options.Add(execution);
        command.Validators.Add(result =>
        {
            var hasTo = result.GetResult(to) is not null;
            var hasHistory = result.GetResult(fromHistory) is not null;
            if (hasTo == hasHistory)
            {
                result.AddError("Name what to baseline, one way: --to <version> (every migration up to it), or --from-history <tool> (exactly what that tool applied).");
            }
            else if (result.GetResult(fromTable) is not null && !hasHistory)
            {
                result.AddError("--from-table names the other tool's history table: use it with --from-history.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            var request = new Request(parse.GetValue(to), parse.GetValue(fromHistory), parse.GetValue(fromTable), parse.GetValue(historyTable), parse.GetValue(connection), parse.GetValue(lockWait), parse.GetValue(execution));
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, request, ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, Request request, CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(request.Execution, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(request.Connection, context, output, cancellationToken).ConfigureAwait(false);
        var options = CommonOptions.MigrationOptions(null, request.LockWait, request.HistoryTable);
        SchemaMigrator migrator;
        try
        {
            migrator = new SchemaMigrator(catalog, target.DataSource, options, new ProgressLogger(output));
        }
        catch (ArgumentException ex) when (request.HistoryTable is not null)
        {
            // The runtime names the option an application sets; the CLI's user sets --history-table.
            throw new UsageException(ex.Message.Replace($"{nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)}", "--history-table", StringComparison.Ordinal).Split(" (Parameter", 2)[0]);
        }

        BaselineResult result;
        try
        {
            result = request.FromHistory is { } tool
                ? await migrator.BaselineFromHistoryAsync(tool.Name(), request.FromTable, cancellationToken).ConfigureAwait(false)
                : await migrator.BaselineAsync(request.To!, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (request.FromTable is not null && ex.ParamName == "table")
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

    private sealed record Request(string? To, SourceTool? FromHistory, string? FromTable, string? HistoryTable, string? Connection, TimeSpan? LockWait, string? Execution);
}
