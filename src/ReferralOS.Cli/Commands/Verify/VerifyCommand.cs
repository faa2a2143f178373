using System.CommandLine;
using ReferralOS.Cli.Commands.Status;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Cli.Commands.Verify;

/// <summary>
/// <c>referralos-db verify</c>, for CI: the migration files against <c>execution/migrations.lock</c> and, given a
/// database, against what its <c>schema_migrations</c> recorded. Exits 3 on any mismatch.
/// </summary>
internal sealed class VerifyCommand(CliContext context, CliOutput output, ParseResult parse, VerifyCommandDefinition command) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var folder = ExecutionFolder.Find(parse.GetValue(command.ExecutionOption), context.WorkingDirectory);
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
            var strict = parse.GetValue(command.StrictOption);
            foreach (var finding in MigrationLockVerifier.Verify(lockFile, migrations))
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

            output.Line($"Files: {Wording.Count(migrations.Count, "migration")} in {folder.Path}, {lockFile.Entries.Count} released in {ExecutionLayout.LockFile}.");
        }

        var connection = parse.GetValue(command.ConnectionOption);
        var database = connection is { Length: > 0 } || context.GetVariable(CliContext.DatabaseUrlVariable) is { Length: > 0 };
        if (database)
        {
            problems += await VerifyDatabaseAsync(connection, migrations, cancellationToken).ConfigureAwait(false);
        }

        if (problems > 0)
        {
            output.Failure($"verify found {Wording.Count(problems, "problem")}; see above.");
            return ExitCodes.ValidationFailed;
        }

        output.Summary($"Verified {Wording.Count(migrations.Count, "migration")} against {ExecutionLayout.LockFile}{(database ? " and the database" : string.Empty)}: everything matches.");
        return ExitCodes.Ok;
    }

    private async Task<int> VerifyDatabaseAsync(string? connection, IReadOnlyList<MigrationChecksum> migrations, CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken).ConfigureAwait(false);
        var status = await new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption))).StatusAsync(cancellationToken).ConfigureAwait(false);
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
