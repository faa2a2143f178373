using System.CommandLine;

namespace ReferralOS.Cli.Commands.Explain;

/// <summary>The <c>explain</c> command line; <see cref="ExplainCommand"/> does the work.</summary>
internal sealed class ExplainCommandDefinition : CommandDefinition
{
    public ExplainCommandDefinition(CliContext context)
        : base("explain", "Run the pending migrations on a scratch copy of the database (on the same server, dropped afterwards; needs CREATEDB) and report, per statement, the lock it took on each relation (read from pg_locks; sampled while CONCURRENTLY and other Transaction: none statements run), what waits while it is held (SELECT, INSERT/UPDATE/DELETE, other DDL), the relations it rewrote, and how long it ran and held its locks; each lint finding is marked confirmed or not by the trace. The database itself is only read. Exits 3 when a lock that blocks writes is held longer than its file's lock timeout.")
    {
        Examples =
        [
            "referralos-db explain -c \"$DATABASE_URL\"                          # every pending migration",
            "referralos-db explain -c \"$DATABASE_URL\" --only 011_add_payouts   # one of them",
            "referralos-db explain -c \"$DATABASE_URL\" --markdown > explain.md  # for the pull request",
            "referralos-db explain -c \"$DATABASE_URL\" --stats execution/stats.json --rows 10000   # times scaled to production's rows",
            "referralos-db explain -c \"$STAGING_URL\" --from-clone --json | jq '.migrations[].statements[] | select(.locks[].mode == \"AccessExclusiveLock\")'",
        ];
        Options.Add(ConnectionOption);
        Options.Add(OnlyOption);
        Options.Add(FromCloneOption);
        Options.Add(StatsOption);
        Options.Add(RowsOption);
        Options.Add(JsonOption);
        Options.Add(MarkdownOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        Validators.Add(result =>
        {
            if (result.GetResult(RowsOption) is not null && result.GetResult(StatsOption) is null)
            {
                result.AddError("--rows fills the copy to scale its times to a statistics snapshot: give the snapshot too, with --stats <file> (referralos-db stats writes one).");
            }

            if (result.GetValue(JsonOption) && result.GetValue(MarkdownOption))
            {
                result.AddError("Choose one document: --json (for scripts) or --markdown (for a pull-request comment).");
            }
        });
        SetHandler(context, (parse, output) => new ExplainCommand(context, output, parse, this), JsonOption, MarkdownOption);
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<string?> OnlyOption { get; } = new("--only")
    {
        Description = "Explain only this pending migration (its file name without .sql); those pending before it are applied to the copy first, unexplained.",
        HelpName = "version",
    };

    public Option<bool> FromCloneOption { get; } = new("--from-clone")
    {
        Description = "Copy the database itself (schema and data, as CREATE DATABASE … TEMPLATE does) instead of building the copy from the migrations it has applied: real row counts, real times. The role must own it, and nobody may be connected to it while it is copied — use it on a staging or restored copy, not a live primary.",
    };

    public Option<string?> StatsOption { get; } = new("--stats")
    {
        Description = "A statistics snapshot (what referralos-db stats writes): each statement's time is scaled from the rows the copy held to the rows the snapshot records, into a predicted time and lock hold, checked against the file's Lock-Timeout.",
        HelpName = "file",
    };

    public Option<int> RowsOption { get; } = new("--rows")
    {
        Description = "With --stats: fill each table of the copy with up to this many synthetic rows (never more than the snapshot records; parents first, values that fit types, NOT NULL, CHECK lists, uniques and foreign keys; a row that still breaks a constraint is skipped). Default 1000.",
        HelpName = "n",
        DefaultValueFactory = _ => 1000,
        Validators = { result => { if (result.GetValueOrDefault<int>() < 0) { result.AddError("--rows must be 0 or more."); } } },
    };

    public Option<bool> JsonOption { get; } = CommonOptions.Json();

    public Option<bool> MarkdownOption { get; } = new("--markdown")
    {
        Description = "Write the report as Markdown to standard output, for a pull-request comment; messages go to standard error.",
    };

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();
}
