using System.CommandLine;

namespace ReferralOS.Cli.Commands.Status;

/// <summary>The <c>status</c> command line; <see cref="StatusCommand"/> does the work.</summary>
internal sealed class StatusCommandDefinition : CommandDefinition
{
    public StatusCommandDefinition(CliContext context)
        : base("status", "Show every migration the code or the database knows: applied (with when), pending, edited after it was applied (checksum mismatch), or unknown to the code; and whether the database is marked production. Exits 3 on a mismatch or an unknown migration.")
    {
        Examples =
        [
            "referralos-db status",
            "referralos-db status --json | jq -r '.migrations[] | select(.state == \"pending\") | .version'",
            "referralos-db status --execution ./db -c \"$DATABASE_URL\"   # your own schema, compiled from ./db",
            "referralos-db status --targets shards.txt --parallel 16   # one row per database in shards.txt",
        ];
        Options.Add(ConnectionOption);
        Options.Add(JsonOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        Options.Add(TargetsOption);
        Options.Add(ParallelOption);
        Validators.Add(CommonOptions.ParallelNeedsTargets(TargetsOption, ParallelOption, "read"));
        SetHandler(
            context,
            (parse, output) => parse.GetValue(TargetsOption) is null ? new StatusCommand(context, output, parse, this) : new StatusFleetCommand(context, output, parse, this),
            JsonOption);
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<bool> JsonOption { get; } = CommonOptions.Json();

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();

    public Option<string?> TargetsOption { get; } = CommonOptions.Targets();

    public Option<int> ParallelOption { get; } = CommonOptions.Parallel();
}
