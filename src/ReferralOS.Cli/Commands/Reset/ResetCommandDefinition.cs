using System.CommandLine;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Reset;

/// <summary>The <c>reset</c> command line; <see cref="ResetCommand"/> does the work.</summary>
internal sealed class ResetCommandDefinition : CommandDefinition
{
    public ResetCommandDefinition(CliContext context)
        : base("reset", "Development only: drop the schema and everything in it (data and migration history included), then apply every migration and run the development seeds.")
    {
        EnvironmentOption = CommonOptions.Environment(context, "Must be development: every other environment is refused.");
        Examples =
        [
            "referralos-db reset                             # start the local development database afresh",
            "referralos-db reset --force -c \"Host=localhost;Username=me;Database=referralos_dev\"",
        ];
        Options.Add(ConnectionOption);
        Options.Add(EnvironmentOption);
        Options.Add(ForceOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        SetHandler(context, (parse, output) => new ResetCommand(context, output, parse, this));
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<DatabaseEnvironment> EnvironmentOption { get; }

    public Option<bool> ForceOption { get; } = CommonOptions.Force("a reset");

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();
}
