using System.CommandLine;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// <c>referralos-db lock</c>: releases the migrations not yet in <c>execution/migrations.lock</c>, recording their
/// checksums, so that the build fails from then on if anyone edits, deletes or renames them.
/// </summary>
internal static class LockCommand
{
    public static Command Create(CliContext context)
    {
        var execution = ExecutionOption();
        var command = new DocumentedCommand("lock", "Release new migrations: add every migration that is not in execution/migrations.lock yet, with its checksum, and rewrite the sum line. Refused (exit 3) while a released migration was edited, deleted or renamed. Touches no database.")
        {
            Examples =
            [
                "referralos-db lock                          # in the repository, after writing 011_…sql; commit the lock with it",
                "referralos-db lock --execution ./execution  # name the folder explicitly",
            ],
        };
        command.Options.Add(execution);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, parse.GetValue(execution), ct), cancellationToken);
        });
        return command;
    }

    /// <summary>The <c>--execution</c> option that <c>lock</c> and <c>verify</c> share.</summary>
    public static Option<string?> ExecutionOption() => new("--execution")
    {
        Description = "The folder holding migrations/ and migrations.lock. Default: execution/ in the working directory or the nearest parent that has one.",
        HelpName = "folder",
    };

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? executionOption, CancellationToken cancellationToken)
    {
        var folder = ExecutionFolder.Find(executionOption, context.WorkingDirectory);
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
