using System.CommandLine;
using Microsoft.CodeAnalysis;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Linting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// <c>referralos-db lint</c>: the build's SQL diagnostics — names, numbering, headers, unknown tables and columns,
/// unsafe operations, the lock file — over an execution/ folder without building, one line per problem in the
/// compiler's <c>file(line,column): error ROS0xxx: message</c> form. Exits 3 on any error.
/// </summary>
internal static class LintCommand
{
    public static Command Create(CliContext context)
    {
        var execution = LockCommand.ExecutionOption();
        var postgresVersion = new Option<int>("--postgres-version")
        {
            Description = "The PostgreSQL major version the rules follow, as the ReferralOsPostgresVersion MSBuild property does (e.g. a constant default is safe from 11).",
            DefaultValueFactory = _ => 15,
            HelpName = "major",
        };
        var strict = new Option<bool>("--strict") { Description = "Fail on warnings too (e.g. a migration without a Down section)." };
        var command = new DocumentedCommand("lint", "Check the .sql files the way the build does, without building: file names, numbering, headers, tables and columns no migration creates, unsafe operations (with why and the safe recipe), and migrations.lock. Touches no database. Exits 3 on any error.")
        {
            Examples =
            [
                "referralos-db lint                       # in the repository, before committing a migration",
                "referralos-db lint --postgres-version 12  # the rules for an older server",
                "referralos-db lint --strict               # warnings fail too, for CI",
            ],
        };
        command.Options.Add(execution);
        command.Options.Add(postgresVersion);
        command.Options.Add(strict);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(
                output,
                ct => RunAsync(context, output, parse.GetValue(execution), parse.GetValue(postgresVersion), parse.GetValue(strict), ct),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? executionOption, int postgresVersion, bool strict, CancellationToken cancellationToken)
    {
        var folder = ExecutionFolder.Find(executionOption, context.WorkingDirectory);
        var files = await folder.ReadLintFilesAsync(cancellationToken).ConfigureAwait(false);
        var diagnostics = SqlLinter.Lint(files, postgresVersion, cancellationToken);

        DiagnosticLines.Write(output, diagnostics, context.WorkingDirectory);

        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        var counts = $"{Wording.Count(errors, "error")}, {Wording.Count(warnings, "warning")}";
        var sqlFiles = files.Count(f => SqlFileName.IsSqlFile(f.Path));
        if (errors > 0 || (strict && warnings > 0))
        {
            output.Failure($"Linted {Wording.Count(sqlFiles, "file")} in {folder.Path}: {counts}. Fix them where they point, or excuse a reviewed statement with '-- referralos:allow ROS0xxx because <reason>' on the line before it (docs/diagnostics.md).");
            return ExitCodes.ValidationFailed;
        }

        output.Summary($"Linted {Wording.Count(sqlFiles, "file")} in {folder.Path}: {counts}.");
        return ExitCodes.Ok;
    }
}
