using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Repair;

/// <summary>
/// <c>referralos-db repair --accept &lt;version&gt; --reason "…"</c>: records a deliberate edit of an applied migration in
/// the database (<see cref="SchemaMigrator.RepairAsync"/>) and releases the edited file's checksum in <c>migrations.lock</c>,
/// so that neither migrate nor the build refuses it from then on. The lock file is written only after the database
/// recorded the repair; with <c>--execution</c> the folder is compiled with the lock as it will be, since the build
/// refuses an edited released migration until then.
/// </summary>
internal sealed class RepairCommand(CliContext context, CliOutput output, ParseResult parse, RepairCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var version = parse.GetValue(command.AcceptOption)!;
        var executionOption = parse.GetValue(command.ExecutionOption);
        var folder = FindFolder(executionOption);
        var accepted = folder is null ? null : await folder.AcceptEditAsync(version, cancellationToken).ConfigureAwait(false);
        var catalog = await ExecutionCatalog.ResolveAsync(executionOption, accepted?.Text, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var migrator = new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, parse.GetValue(command.LockWaitOption), parse.GetValue(command.HistoryTableOption)), new ProgressLogger(output));
        var repair = await migrator.RepairAsync(version, parse.GetValue(command.ReasonOption)!, parse.GetValue(command.ConfirmProductionOption), Environment.UserName, cancellationToken).ConfigureAwait(false);
        output.Line($"{repair.Version}: recorded checksum {repair.OldChecksum} replaced by {repair.NewChecksum}, logged with the reason.");

        if (folder is null)
        {
            output.Warning($"No execution/ folder here, so no migrations.lock was updated: run 'referralos-db repair' from the repository (or with --execution) to release {repair.Version}'s new checksum there too.");
        }
        else if (accepted is { } update && update.Checksum == repair.NewChecksum)
        {
            await File.WriteAllTextAsync(folder.LockPath, update.Text, cancellationToken).ConfigureAwait(false);
            output.Line($"Released {repair.Version}'s new checksum in {folder.LockPath}. Commit it with the edited file.");
        }
        else if (accepted is { } other)
        {
            output.Warning($"{folder.LockPath} was not changed: {repair.Version}'s file in {folder.Path} has checksum {other.Checksum}, not the accepted {repair.NewChecksum}. Pass the folder the repaired schema was compiled from with --execution.");
        }

        output.Summary($"Repaired {repair.Version}: migrate accepts its edited file now. Check that the database matches it with 'referralos-db drift'.");
        return ExitCodes.Ok;
    }

    /// <summary>The folder named by --execution (which must exist), else the repository's execution/ when there is one.</summary>
    private ExecutionFolder? FindFolder(string? executionOption)
    {
        try
        {
            return ExecutionFolder.Find(executionOption, context.WorkingDirectory);
        }
        catch (DirectoryNotFoundException) when (executionOption is not { Length: > 0 })
        {
            return null;
        }
    }
}
