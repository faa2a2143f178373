using System.CommandLine;

namespace ReferralOS.Cli.Commands.Drift;

/// <summary>The <c>drift</c> command line; <see cref="DriftCommand"/> does the work.</summary>
internal sealed class DriftCommandDefinition : CommandDefinition
{
    public DriftCommandDefinition(CliContext context)
        : base("drift", "Compare the live database with the schema its applied migrations build (in a scratch database on the same server, dropped afterwards; needs CREATEDB): tables, columns, constraints, indexes (INVALID ones too), functions, triggers, policies, grants, comments and extensions, each as PostgreSQL deparses it. Prints every difference and exits 3 when there is drift, 0 when there is none; with --targets, every database of a fleet (exit 11 when one could not be compared).")
    {
        Examples =
        [
            "referralos-db drift -c \"$DATABASE_URL\"",
            "referralos-db drift -c \"$DATABASE_URL\" --json | jq -r '.differences[] | \"\\(.kind) \\(.name): \\(.type)\"'",
            "referralos-db drift --execution ./db -c \"$DATABASE_URL\"   # your own schema, compiled from ./db",
            "referralos-db drift --targets shards.txt --parallel 4   # every database in shards.txt, each against its own scratch database",
        ];
        Options.Add(ConnectionOption);
        Options.Add(JsonOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        Options.Add(TargetsOption);
        Options.Add(ParallelOption);
        Validators.Add(CommonOptions.ParallelNeedsTargets(TargetsOption, ParallelOption, "compare"));
        SetHandler(
            context,
            (parse, output) => parse.GetValue(TargetsOption) is null ? new DriftCommand(context, output, parse, this) : new DriftFleetCommand(context, output, parse, this),
            JsonOption);
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<bool> JsonOption { get; } = CommonOptions.Json();

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();

    public Option<string?> TargetsOption { get; } = CommonOptions.Targets();

    public Option<int> ParallelOption { get; } = CommonOptions.Parallel();
}
