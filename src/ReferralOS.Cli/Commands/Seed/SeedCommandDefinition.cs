using System.CommandLine;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Seed;

/// <summary>The <c>seed</c> command line; <see cref="SeedCommand"/> does the work.</summary>
internal sealed class SeedCommandDefinition : CommandDefinition
{
    public SeedCommandDefinition(CliContext context)
        : base("seed", "Run the development or test seeds, each in its own transaction. Seeds insert with ON CONFLICT DO NOTHING, so running them again inserts nothing. Migrate first.")
    {
        EnvironmentOption = CommonOptions.Environment(context, "Runs the seeds whose -- Environment: header names it. Production is refused before anything is written.");
        Examples =
        [
            "referralos-db seed                              # the local development database",
            "referralos-db seed --environment test -c \"Host=localhost;Username=ci;Database=referralos_test\"",
        ];
        Options.Add(ConnectionOption);
        Options.Add(EnvironmentOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        SetHandler(context, (parse, output) => new SeedCommand(context, output, parse, this));
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<DatabaseEnvironment> EnvironmentOption { get; }

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();
}
