using System.CommandLine;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Commands.Lock;

/// <summary>
/// <c>referralos-db lock</c>: releases the migrations not yet in <c>execution/migrations.lock</c>, recording their
/// checksums, so that the build fails from then on if anyone edits, deletes or renames them.
/// </summary>
internal sealed class LockCommand(CliContext context, CliOutput output, ParseResult parse, LockCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var folder = ExecutionFolder.Find(parse.GetValue(command.ExecutionOption), context.WorkingDirectory);
        var migrations = await folder.ReadMigrationsAsync(cancellationToken).ConfigureAwait(false);
        var current = await folder.ReadLockAsync(cancellationToken).ConfigureAwait(false);
        var update = MigrationLockVerifier.Update(current, migrations);

        if (!update.Succeeded)
        {
            foreach (var finding in update.Blocking)
            {
                output.Warning(finding.ToString());
            }

            output.Failure($"{folder.LockPath} was not changed: {Wording.Count(update.Blocking.Count, "released migration")} no longer {(update.Blocking.Count == 1 ? "matches" : "match")} the lock. A released migration is never edited; restore it and put the change in a new migration.");
            return ExitCodes.ValidationFailed;
        }

        if (update.Added.Count == 0 && current is { SumMatches: true })
        {
            output.Summary($"Nothing to release: all {Wording.Count(migrations.Count, "migration")} are in {folder.LockPath}.");
            return ExitCodes.Ok;
        }

        await File.WriteAllTextAsync(folder.LockPath, update.Text, cancellationToken).ConfigureAwait(false);
        foreach (var version in update.Added)
        {
            output.Line($"released {version}");
        }

        output.Summary($"Wrote {folder.LockPath}: {Wording.Count(update.Added.Count, "migration")} released, {migrations.Count} in all. Commit it with the migrations.");
        return ExitCodes.Ok;
    }
}
