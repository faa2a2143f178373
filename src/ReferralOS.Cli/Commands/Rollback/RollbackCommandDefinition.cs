using System.CommandLine;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Rollback;

/// <summary>The <c>rollback</c> command line; <see cref="RollbackCommand"/> does the work.</summary>
internal sealed class RollbackCommandDefinition : CommandDefinition
{
    public RollbackCommandDefinition(CliContext context)
        : base("rollback", "Development only: revert, newest first, every applied migration above --to by running its documented Down section and removing its schema_migrations row, each step in its own transaction. Everything is checked before the first step. In production, roll forward instead; --dry-run prints the script an emergency procedure would review.")
    {
        EnvironmentOption = CommonOptions.Environment(context, "Must be development to roll back; --dry-run prints the script in any environment.");
        Examples =
        [
            "referralos-db rollback --to 007_create_api_keys   # the local database: revert 010, 009 and 008",
            "referralos-db rollback --to 0                     # revert every migration",
            "referralos-db rollback --to 009_create_audit_logs --dry-run -c \"$DATABASE_URL\" > rollback.sql",
        ];
        Options.Add(ToOption);
        Options.Add(ConnectionOption);
        Options.Add(EnvironmentOption);
        Options.Add(ForceOption);
        Options.Add(LockWaitOption);
        Options.Add(DryRunOption);
        Options.Add(ExecutionOption);
        Options.Add(HistoryTableOption);
        SetHandler(context, (parse, output) => new RollbackCommand(context, output, parse, this), DryRunOption);
    }

    public Option<string> ToOption { get; } = new("--to")
    {
        Description = $"The last migration to keep applied, e.g. 007_create_api_keys; {SchemaMigrator.InitialVersion} reverts every migration.",
        HelpName = "version",
        Required = true,
    };

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<DatabaseEnvironment> EnvironmentOption { get; }

    public Option<bool> ForceOption { get; } = CommonOptions.Force("a rollback");

    public Option<TimeSpan?> LockWaitOption { get; } = CommonOptions.LockWait();

    public Option<bool> DryRunOption { get; } = CommonOptions.DryRun("the rollback");

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();
}
