using System.CommandLine;
using Microsoft.CodeAnalysis;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Linting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Commands.Lint;

/// <summary>
/// <c>referralos-db lint</c>: the build's SQL diagnostics — names, numbering, headers, unknown tables and columns,
/// unsafe operations, the lock file — over an execution/ folder without building, one line per problem in the
/// compiler's <c>file(line,column): error ROS0xxx: message</c> form. Exits 3 on any error.
/// </summary>
internal sealed class LintCommand(CliContext context, CliOutput output, ParseResult parse, LintCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var folder = ExecutionFolder.Find(parse.GetValue(command.ExecutionOption), context.WorkingDirectory);
        var files = await folder.ReadLintFilesAsync(cancellationToken).ConfigureAwait(false);
        var diagnostics = SqlLinter.Lint(files, parse.GetValue(command.PostgresVersionOption), cancellationToken);

        DiagnosticLines.Write(output, diagnostics, context.WorkingDirectory);

        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        var counts = $"{Wording.Count(errors, "error")}, {Wording.Count(warnings, "warning")}";
        var sqlFiles = files.Count(f => SqlFileName.IsSqlFile(f.Path));
        if (errors > 0 || (parse.GetValue(command.StrictOption) && warnings > 0))
        {
            output.Failure($"Linted {Wording.Count(sqlFiles, "file")} in {folder.Path}: {counts}. Fix them where they point, or excuse a reviewed statement with '-- referralos:allow ROS0xxx because <reason>' on the line before it (docs/diagnostics.md).");
            return ExitCodes.ValidationFailed;
        }

        output.Summary($"Linted {Wording.Count(sqlFiles, "file")} in {folder.Path}: {counts}.");
        return ExitCodes.Ok;
    }
}
