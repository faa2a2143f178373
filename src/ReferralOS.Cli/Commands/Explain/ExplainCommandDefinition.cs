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
            "referralos-db explain -c \"$STAGING_URL\" --from-clone --json | jq '.migrations[].statements[] | select(.locks[].mode == \"AccessExclusiveLock\")'",
        ];
        Options.Add(ConnectionOption);
        Options.Add(OnlyOption);
        Options.Add(FromCloneOption);
        Options.Add(JsonOption);
        Options.Add(MarkdownOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        Validators.Add(result =>
        {
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

    public Option<bool> JsonOption { get; } = CommonOptions.Json();

    public Option<bool> MarkdownOption { get; } = new("--markdown")
    {
        Description = "Write the report as Markdown to standard output, for a pull-request comment; messages go to standard error.",
    };

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();
}
