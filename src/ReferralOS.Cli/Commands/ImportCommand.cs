using System.CommandLine;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Importing;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// <c>referralos-db import --from &lt;tool&gt; &lt;folder&gt;</c>: converts another tool's migrations into
/// <c>execution/migrations</c>, their SQL byte for byte, and releases them all in <c>migrations.lock</c>.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<SourceTool>("--from")
        {
            Description = "The tool that wrote the migrations: " + string.Join(", ", SourceTools.All.Select(t => t.Name())) + ".",
            HelpName = string.Join('|', SourceTools.All.Select(t => t.Name())),
            Required = true,
            CustomParser = result =>
            {
                var name = result.Tokens[0].Value;
                if (SourceTools.TryParse(name, out var tool))
                {
                    return tool;
                }

                result.AddError($"--from is '{name}', which is not a tool import reads: use {string.Join(", ", SourceTools.All.Select(t => t.Name()))}.");
                return default;
            },
        };
        var folder = new Argument<string>("folder") { Description = "The folder holding the tool's migrations, e.g. migrations/ or db/migration/." };
        var execution = new Option<string?>("--execution")
        {
            Description = "The folder to write migrations/ and migrations.lock into. Default: execution/ in the working directory. It must hold no migration yet.",
            HelpName = "folder",
        };
        var command = new DocumentedCommand("import", "Convert another tool's migrations into execution/migrations: renumbered from 001 in that tool's order, each with the spec's header and an Imported-From line naming the tool and its version, the Up SQL byte for byte, the down file as the commented Down section, '-- Transaction: none' where the tool ran the file outside a transaction; then release them all in migrations.lock. Refuses (exit 3), writing nothing, on SQL the runtime cannot run (psql meta-commands, COPY … FROM stdin) and on anything else it cannot convert faithfully.")
        {
            Examples =
            [
                "referralos-db import --from diesel migrations/                    # into ./execution",
                "referralos-db import --from golang-migrate db/migrations --execution ./db",
                "referralos-db import --from flyway src/main/resources/db/migration",
            ],
        };
        command.Options.Add(from);
        command.Arguments.Add(folder);
        command.Options.Add(execution);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(
                output,
                ct => RunAsync(context, output, parse.GetRequiredValue(from), parse.GetRequiredValue(folder), parse.GetValue(execution), ct),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, SourceTool tool, string folder, string? executionOption, CancellationToken cancellationToken)
    {
        var executionPath = Path.GetFullPath(executionOption is { Length: > 0 } given ? given : "execution", context.WorkingDirectory);
        var source = MigrationImporter.Read(tool, Path.GetFullPath(folder, context.WorkingDirectory));
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
            output.Line($"{file.Source.Up.Path} -> migrations/{file.FileName}{(file.Source.OutsideTransaction ? " (Transaction: none)" : string.Empty)}");
        }

        // Released exactly as `referralos-db lock` releases a migration: the same code, over the files as written.
        var execution = ExecutionFolder.Find(executionPath, context.WorkingDirectory);
        var update = MigrationLockVerifier.Update(null, await execution.ReadMigrationsAsync(cancellationToken).ConfigureAwait(false));
        await File.WriteAllTextAsync(execution.LockPath, update.Text, cancellationToken).ConfigureAwait(false);

        output.Summary($"Imported {Wording.Count(files.Count, "migration")} from {tool.Name()} into {Path.Combine(executionPath, "migrations")} and released them in {MigrationLockFile.FileName}. Next: referralos-db lint, then baseline a database {tool.Name()} migrated (docs/adoption.md).");
        return ExitCodes.Ok;
    }
}
