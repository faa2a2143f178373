using System.CommandLine;
using ReferralOS.Cli.Importing;

namespace ReferralOS.Cli.Commands.Baseline;

/// <summary>The <c>baseline</c> command line; <see cref="BaselineCommand"/> does the work.</summary>
internal sealed class BaselineCommandDefinition : CommandDefinition
{
    public BaselineCommandDefinition(CliContext context)
        : base("baseline", "Adopt a database another tool (or a hand) already migrated: record the migrations it already has as applied, with their checksums, without running them, so that migrate applies only the rest. Holds the migration lock and writes every row in one transaction; refuses (exit 3), changing nothing, a database that already records any of them.")
    {
        Examples =
        [
            "referralos-db baseline --from-history diesel --execution ./execution -c \"$DATABASE_URL\"   # exactly what diesel applied",
            "referralos-db baseline --from-history golang-migrate --history-table referralos.schema_migrations -c \"$DATABASE_URL\"",
            "referralos-db baseline --to 342_rename_resolve_reason --execution ./execution -c \"$DATABASE_URL\"",
        ];
        Options.Add(ToOption);
        Options.Add(FromHistoryOption);
        Options.Add(FromTableOption);
        Options.Add(HistoryTableOption);
        Options.Add(ConnectionOption);
        Options.Add(LockWaitOption);
        Options.Add(ExecutionOption);
        Validators.Add(result =>
        {
            var hasTo = result.GetResult(ToOption) is not null;
            var hasHistory = result.GetResult(FromHistoryOption) is not null;
            if (hasTo == hasHistory)
            {
                result.AddError("Name what to baseline, one way: --to <version> (every migration up to it), or --from-history <tool> (exactly what that tool applied).");
            }
            else if (result.GetResult(FromTableOption) is not null && !hasHistory)
            {
                result.AddError("--from-table names the other tool's history table: use it with --from-history.");
            }
        });
        SetHandler(context, (parse, output) => new BaselineCommand(context, output, parse, this));
    }

    public Option<string?> ToOption { get; } = new("--to")
    {
        Description = "Record every migration up to and including this version as applied, e.g. 342_rename_resolve_reason; the database must already have what they create.",
        HelpName = "version",
    };

    public Option<SourceTool?> FromHistoryOption { get; } = new("--from-history")
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

    public Option<string?> FromTableOption { get; } = new("--from-table")
    {
        Description = "With --from-history: the tool's history table when it is not the tool's default name (found through the search_path), as name or schema.name, e.g. schema_version for Flyway before version 5.",
        HelpName = "table",
    };

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<TimeSpan?> LockWaitOption { get; } = CommonOptions.LockWait();

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();
}
