using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// <c>referralos-db rollback --to &lt;version&gt;</c>: development only — reverts the migrations above a version
/// through their documented Down sections; with <c>--dry-run</c>, prints the script in any environment.
/// </summary>
internal static class RollbackCommand
{
    public static Command Create(CliContext context)
    {
        var to = new Option<string>("--to")
        {
            Description = $"The last migration to keep applied, e.g. 007_create_api_keys; {SchemaMigrator.InitialVersion} reverts every migration.",
            HelpName = "version",
            Required = true,
        };
        var connection = CommonOptions.Connection();
        var environment = CommonOptions.Environment(context, "Must be development to roll back; --dry-run prints the script in any environment.");
        var force = CommonOptions.Force("a rollback");
        var lockWait = CommonOptions.LockWait();
        var dryRun = CommonOptions.DryRun("the rollback");
        var execution = ExecutionCatalog.ExecutionOption();
        var historyTable = CommonOptions.HistoryTable();
        var command = new DocumentedCommand("rollback", "Development only: revert, newest first, every applied migration above --to by running its documented Down section and removing its schema_migrations row, each step in its own transaction. Everything is checked before the first step. In production, roll forward instead; --dry-run prints the script an emergency procedure would review.")
        {
            Examples =
            [
                "referralos-db rollback --to 007_create_api_keys   # the local database: revert 010, 009 and 008",
                "referralos-db rollback --to 0                     # revert every migration",
                "referralos-db rollback --to 009_create_audit_logs --dry-run -c \"$DATABASE_URL\" > rollback.sql",
            ],
        };
        command.Options.Add(to);
        command.Options.Add(connection);
        command.Options.Add(environment);
        command.Options.Add(force);
        command.Options.Add(lockWait);
        command.Options.Add(dryRun);
        command.Options.Add(execution);
        command.Options.Add(historyTable);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context, documentToOut: parse.GetValue(dryRun));
            var request = new Request(parse.GetRequiredValue(to), parse.GetValue(connection), parse.GetValue(environment), parse.GetValue(force), parse.GetValue(lockWait), parse.GetValue(dryRun), parse.GetValue(execution), parse.GetValue(historyTable));
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, request, ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, Request request, CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(request.Execution, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(request.Connection, context, output, cancellationToken).ConfigureAwait(false);
        var migrator = new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, request.LockWait, request.HistoryTable), new ProgressLogger(output));
        if (request.DryRun)
        {
            var plan = await migrator.PlanRollbackAsync(request.To, cancellationToken).ConfigureAwait(false);
            output.Document(plan.ToSql());
            output.Summary(plan.Migrations.Count == 0
                ? $"Dry run: nothing to roll back, {request.To} is already the last applied migration. Nothing was changed."
                : $"Dry run: {Wording.Count(plan.Migrations.Count, "migration")} would be rolled back, by exactly the SQL on standard output. Nothing was changed.");
            return ExitCodes.Ok;
        }

        if (!target.IsLocal && !request.Force)
        {
            throw new NotConfirmedException("rollback", $"runs Down sections that drop tables of {target.Display} with their data");
        }

        var result = await migrator.RollbackAsync(request.To, request.Environment, cancellationToken).ConfigureAwait(false);
        var now = request.To == SchemaMigrator.InitialVersion ? "no migration is applied now" : $"{request.To} is the last applied migration now";
        output.Summary($"Rolled back in {Wording.Duration(result.Duration)}: reverted {Wording.Count(result.RolledBack.Count, "migration")}; {now}.");
        return ExitCodes.Ok;
    }

    private sealed record Request(string To, string? Connection, SchemaEnvironment Environment, bool Force, TimeSpan? LockWait, bool DryRun, string? Execution, string? HistoryTable);
}
