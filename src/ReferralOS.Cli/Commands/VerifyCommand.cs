using System.CommandLine;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// <c>referralos-db verify</c>, for CI: the migration files against <c>execution/migrations.lock</c> and, given a
/// database, against what its <c>schema_migrations</c> recorded. Exits 3 on any mismatch.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var execution = LockCommand.ExecutionOption();
        execution.Description += " Checking a database, this folder is also compiled, as --execution does for migrate and status; without the option, the database is checked against the ReferralOS schema compiled into the tool.";
        var connection = CommonOptions.Connection();
        connection.Description = $"Also check a database's schema_migrations: an Npgsql connection string or a postgres:// URL. Default: ${CliContext.DatabaseUrlVariable}; with neither, no database is checked.";
        var historyTable = CommonOptions.HistoryTable();
        var strict = new Option<bool>("--strict") { Description = "Fail on migrations that are not released in the lock yet, too (for the branch that ships them)." };
        var command = new DocumentedCommand("verify", "Check that no released migration was edited, deleted or renamed (files against execution/migrations.lock and its sum line) and, given a database, that every migration it applied still has its file with the same checksum. Exits 3 on any mismatch.")
        {
            Examples =
            [
                "referralos-db verify                                   # files against the lock, in CI on every change",
                "referralos-db verify --strict                           # and every migration must be released",
                "referralos-db verify -c \"$PRODUCTION_DATABASE_URL\"     # and against what production applied",
            ],
        };
        command.Options.Add(execution);
        command.Options.Add(connection);
        command.Options.Add(strict);
        command.Options.Add(historyTable);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context);
            return CommandInvocation.RunAsync(
                output,
                ct => RunAsync(context, output, parse.GetValue(execution), parse.GetValue(connection), parse.GetValue(strict), parse.GetValue(historyTable), ct),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? executionOption, string? connection, bool strict, string? historyTable, CancellationToken cancellationToken)
    {
        var folder = ExecutionFolder.Find(executionOption, context.WorkingDirectory);
        var migrations = await folder.ReadMigrationsAsync(cancellationToken).ConfigureAwait(false);
        var lockFile = await folder.ReadLockAsync(cancellationToken).ConfigureAwait(false);
        var problems = 0;

        if (lockFile is null)
        {
            output.Warning($"{folder.LockPath} does not exist: run 'referralos-db lock' to release the {Wording.Count(migrations.Count, "migration")} and commit it.");
            problems++;
        }
        else
        {
            var findings = MigrationLockVerifier.Verify(lockFile, migrations);
            foreach (var finding in findings)
            {
                if (finding.IsError || strict)
                {
                    output.Warning(finding.ToString());
                    problems++;
                }
                else
                {
                    output.Detail(finding.ToString());
                }
            }

            output.Line($"Files: {Wording.Count(migrations.Count, "migration")} in {folder.Path}, {lockFile.Entries.Count} released in {MigrationLockFile.FileName}.");
        }

        var database = connection is { Length: > 0 } || context.GetVariable(CliContext.DatabaseUrlVariable) is { Length: > 0 };
        if (database)
        {
            problems += await VerifyDatabaseAsync(context, output, connection, executionOption, historyTable, migrations, cancellationToken).ConfigureAwait(false);
        }

        if (problems > 0)
        {
            output.Failure($"verify found {Wording.Count(problems, "problem")}; see above.");
            return ExitCodes.ValidationFailed;
        }

        output.Summary($"Verified {Wording.Count(migrations.Count, "migration")} against {MigrationLockFile.FileName}{(database ? " and the database" : string.Empty)}: everything matches.");
        return ExitCodes.Ok;
    }

    private static async Task<int> VerifyDatabaseAsync(CliContext context, CliOutput output, string? connection, string? executionOption, string? historyTable, IReadOnlyList<MigrationChecksum> migrations, CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(executionOption, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken).ConfigureAwait(false);
        var status = await new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, historyTable)).StatusAsync(cancellationToken).ConfigureAwait(false);
        var applied = status.Migrations
            .Where(m => m.AppliedChecksum is not null)
            .Select(m => new MigrationChecksum(m.Version, m.AppliedChecksum!))
            .ToList();

        var findings = MigrationLockVerifier.VerifyHistory(applied, migrations);
        foreach (var finding in findings)
        {
            output.Warning(finding.Kind == MigrationLockFindingKind.Missing
                ? $"{finding.Version}: the database applied it (checksum {finding.LockedChecksum}) but there is no such file; restore it"
                : finding.ToString());
        }

        var problems = findings.Count;
        if (status.Problem is { } problem && findings.Count == 0)
        {
            // The same refusal migrate would give: a gap, a migration pending below applied ones, a row without a checksum.
            output.Warning($"migrate would refuse this history: {problem.Message}");
            problems++;
        }

        if (status.InvalidIndexes.Count > 0)
        {
            output.Warning(StatusCommand.InvalidIndexWarning(status.InvalidIndexes));
            problems++;
        }

        output.Line($"Database: {Wording.Count(applied.Count, "migration")} applied, {findings.Count} not matching the files.");
        return problems;
    }
}
