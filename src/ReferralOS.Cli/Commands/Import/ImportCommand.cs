using System.CommandLine;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Importing;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Cli.Commands.Import;

/// <summary>
/// <c>referralos-db import --from &lt;tool&gt; &lt;folder&gt;</c>: converts another tool's migrations into
/// <c>execution/migrations</c>, their SQL byte for byte, and releases them all in <c>migrations.lock</c>.
/// </summary>
internal sealed class ImportCommand(CliContext context, CliOutput output, ParseResult parse, ImportCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var tool = parse.GetRequiredValue(command.FromOption);
        var executionPath = Path.GetFullPath(parse.GetValue(command.ExecutionOption) is { Length: > 0 } given ? given : ExecutionLayout.DefaultFolder, context.WorkingDirectory);
        var source = MigrationImporter.Read(tool, Path.GetFullPath(parse.GetRequiredValue(command.FolderArgument), context.WorkingDirectory));
        foreach (var skipped in source.Skipped)
        {
            output.Detail($"skipped {skipped}");
        }

        if (MigrationImporter.TargetProblem(executionPath) is { } target)
        {
            source.Problem(Path.GetRelativePath(context.WorkingDirectory, executionPath), 0, target);
        }

        if (source.Problems.Count > 0)
        {
            foreach (var problem in source.Problems)
            {
                output.Warning(problem.ToString());
            }

            output.Failure($"Nothing was imported: {Wording.Count(source.Problems.Count, "problem")} in {source.Path} (see above). A history imported in part would be numbered wrong, so import converts all of it or none.");
            return ExitCodes.ValidationFailed;
        }

        var files = MigrationImporter.Convert(tool, source.Migrations);
        await MigrationImporter.WriteAsync(executionPath, files, cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
        {
            output.Line($"{file.Source.Up.Path} -> {ExecutionLayout.MigrationsFolder}/{file.FileName}{(file.Source.OutsideTransaction ? " (Transaction: none)" : string.Empty)}");
        }

        // Released exactly as `referralos-db lock` releases a migration: the same code, over the files as written.
        var execution = ExecutionFolder.Find(executionPath, context.WorkingDirectory);
        var update = MigrationLockVerifier.Update(null, await execution.ReadMigrationsAsync(cancellationToken).ConfigureAwait(false));
        await File.WriteAllTextAsync(execution.LockPath, update.Text, cancellationToken).ConfigureAwait(false);

        output.Summary($"Imported {Wording.Count(files.Count, "migration")} from {tool.Name()} into {Path.Combine(executionPath, ExecutionLayout.MigrationsFolder)} and released them in {ExecutionLayout.LockFile}. Next: referralos-db lint, then baseline a database {tool.Name()} migrated (docs/adoption.md).");
        return ExitCodes.Ok;
    }
}
