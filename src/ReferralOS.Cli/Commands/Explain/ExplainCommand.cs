using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Npgsql;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Explaining;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Linting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Generators;

namespace ReferralOS.Cli.Commands.Explain;

/// <summary><c>referralos-db explain</c>: the pending migrations run on a scratch copy, with what each statement locked, rewrote and how long it held it.</summary>
internal sealed class ExplainCommand(CliContext context, CliOutput output, ParseResult parse, ExplainCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var executionOption = parse.GetValue(command.ExecutionOption);
        // The unsafe-operation lint's errors (ROS01xx) do not stop explain: whether they are right is what it finds out.
        var catalog = await ExecutionCatalog.ResolveAsync(executionOption, context, output, cancellationToken, tolerated: ExplainedFile.IsUnsafeOperation).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var statistics = await ReadStatisticsAsync(parse.GetValue(command.StatsOption), cancellationToken).ConfigureAwait(false);
        var options = new ExplainOptions
        {
            Only = parse.GetValue(command.OnlyOption),
            Template = parse.GetValue(command.FromCloneOption) ? DatabaseOf(target) : null,
            Statistics = statistics,
            SyntheticRows = statistics is null ? 0 : parse.GetValue(command.RowsOption),
        };
        var report = await new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption))).ExplainAsync(options, cancellationToken).ConfigureAwait(false);
        var (diagnostics, folder) = await LintAsync(executionOption, cancellationToken).ConfigureAwait(false);
        var files = new List<ExplainedFile>(report.Migrations.Count);
        foreach (var migration in report.Migrations)
        {
            files.Add(ExplainedFile.From(migration, diagnostics, await FileLinesAsync(folder, migration.Migration, cancellationToken).ConfigureAwait(false)));
        }

        if (parse.GetValue(command.JsonOption))
        {
            output.Document(JsonSerializer.Serialize(ExplainDocument.From(target.Display, report, files), ExplainJsonContext.Default.ExplainDocument));
        }
        else if (parse.GetValue(command.MarkdownOption))
        {
            output.Document(ExplainMarkdown.Write(report, files));
        }
        else
        {
            ExplainTable.Write(output, files);
            output.Line();
        }

        var statements = files.Sum(f => f.Statements.Count);
        var on = $"on a scratch copy built from {report.Source} ({report.ScratchDatabase}, dropped)";
        if (report.Migrations.Count == 0)
        {
            output.Summary($"Nothing is pending {(options.Template is null ? "on the database" : "on its copy")}: nothing to explain.");
            return ExitCodes.Ok;
        }

        if (files.Any(f => f.ExceedsLockTimeout))
        {
            output.Warning($"Explained {Wording.Count(report.Migrations.Count, "migration")} ({Wording.Count(statements, "statement")}) {on}: a lock that blocks writes is held longer than its file's lock timeout (above). " +
                "Make the statement cheaper (CONCURRENTLY, NOT VALID then VALIDATE, a new column instead of a type change), split the file, or raise its -- Lock-Timeout: knowingly.");
            return ExitCodes.ValidationFailed;
        }

        output.Summary($"Explained {Wording.Count(report.Migrations.Count, "migration")} ({Wording.Count(statements, "statement")}) {on} in {Wording.Duration(report.Duration)}.");
        return ExitCodes.Ok;
    }

    /// <summary>The snapshot --stats names, or null without one.</summary>
    /// <exception cref="UsageException">The file is missing or is not a snapshot.</exception>
    private async Task<DatabaseStatistics?> ReadStatisticsAsync(string? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return null;
        }

        var path = Path.GetFullPath(file, context.WorkingDirectory);
        try
        {
            var document = JsonSerializer.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), StatsJsonContext.Default.StatsDocument);
            return document?.ToStatistics() ?? throw new UsageException($"--stats {file} holds no snapshot: write one with referralos-db stats -c <database> > {file}.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read --stats {file}: {ex.Message} Write one with referralos-db stats -c <database> > {file}.");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--stats {file} is not a statistics snapshot ({ex.Message}): write one with referralos-db stats -c <database> > {file}.");
        }
    }

    private static string? DatabaseOf(DatabaseTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.DataSource.ConnectionString);
        return builder.Database ?? builder.Username;
    }

    /// <summary>
    /// The build's diagnostics over the execution folder (the one --execution names, else the one the working directory is
    /// in), to set beside the trace; none when there is no folder to read (the tool run outside a repository).
    /// </summary>
    private async Task<(ImmutableArray<Diagnostic>? Diagnostics, ExecutionFolder? Folder)> LintAsync(string? executionOption, CancellationToken cancellationToken)
    {
        ExecutionFolder folder;
        try
        {
            folder = ExecutionFolder.Find(executionOption, context.WorkingDirectory);
        }
        catch (DirectoryNotFoundException)
        {
            output.Detail("No execution/ folder here, so the lint's findings are not set beside the trace (run in the repository, or pass --execution).");
            return (null, null);
        }

        var files = await folder.ReadLintFilesAsync(cancellationToken).ConfigureAwait(false);
        return (SqlLinter.Lint(files, GeneratorOptions.DefaultPostgresVersion, cancellationToken), folder);
    }

    private static async Task<IReadOnlyList<string>?> FileLinesAsync(ExecutionFolder? folder, Migration migration, CancellationToken cancellationToken)
    {
        var path = folder is null ? null : Path.Combine(folder.Path, Sdk.Shared.ExecutionLayout.MigrationsFolder, Path.GetFileName(migration.Path));
        return path is not null && File.Exists(path) ? await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }
}
