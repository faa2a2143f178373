using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Rollback;

/// <summary>
/// <c>referralos-db rollback --to &lt;version&gt;</c>: development only — reverts the migrations above a version
/// through their documented Down sections; with <c>--dry-run</c>, prints the script in any environment.
/// </summary>
internal sealed class RollbackCommand(CliContext context, CliOutput output, ParseResult parse, RollbackCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var to = parse.GetRequiredValue(command.ToOption);
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var options = CommonOptions.MigrationOptions(null, parse.GetValue(command.LockWaitOption), parse.GetValue(command.HistoryTableOption));
        var migrator = new SchemaMigrator(catalog, target.DataSource, options, new ProgressLogger(output));
        if (parse.GetValue(command.DryRunOption))
        {
            var plan = await migrator.PlanRollbackAsync(to, cancellationToken).ConfigureAwait(false);
            output.Document(plan.ToSql());
            output.Summary(plan.Migrations.Count == 0
                ? $"Dry run: nothing to roll back, {to} is already the last applied migration. Nothing was changed."
                : $"Dry run: {Wording.Count(plan.Migrations.Count, "migration")} would be rolled back, by exactly the SQL on standard output. Nothing was changed.");
            return ExitCodes.Ok;
        }

        if (!target.IsLocal && !parse.GetValue(command.ForceOption))
        {
            throw new NotConfirmedException("rollback", $"runs Down sections that drop tables of {target.Display} with their data");
        }

        var result = await migrator.RollbackAsync(to, parse.GetValue(command.EnvironmentOption), cancellationToken).ConfigureAwait(false);
        var now = to == SchemaMigrator.InitialVersion ? "no migration is applied now" : $"{to} is the last applied migration now";
        output.Summary($"Rolled back in {Wording.Duration(result.Duration)}: reverted {Wording.Count(result.RolledBack.Count, "migration")}; {now}.");
        return ExitCodes.Ok;
    }
}
