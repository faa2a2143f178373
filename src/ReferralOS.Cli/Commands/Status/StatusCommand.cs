using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands.Status;

/// <summary><c>referralos-db status</c>: which migrations the database has applied and which are pending.</summary>
internal sealed class StatusCommand(CliContext context, CliOutput output, ParseResult parse, StatusCommandDefinition command) : ICommandHandler
{
    /// <summary>The warning for INVALID indexes, shared with verify.</summary>
    public static string InvalidIndexWarning(IReadOnlyList<string> indexes) =>
        $"{Wording.Count(indexes.Count, "index")} {(indexes.Count == 1 ? "is" : "are")} INVALID: {string.Join(", ", indexes)} — left by an interrupted CREATE INDEX CONCURRENTLY " +
        "(unless a session is building it right now). The planner ignores an INVALID index and every write still maintains it. " +
        $"Drop it and migrate again to build it anew: {string.Join(" ", indexes.Select(i => $"DROP INDEX CONCURRENTLY IF EXISTS {i};"))}";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(parse.GetValue(command.ExecutionOption), context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(parse.GetValue(command.ConnectionOption), context, output, cancellationToken).ConfigureAwait(false);
        var status = await new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, parse.GetValue(command.HistoryTableOption))).StatusAsync(cancellationToken).ConfigureAwait(false);
        var drifted = status.Migrations.Where(m => m.State is MigrationState.ChecksumMismatch or MigrationState.Unknown).ToArray();

        if (output.DocumentToOut)
        {
            output.Document(JsonSerializer.Serialize(StatusDocument.From(target.Display, status), StatusJsonContext.Default.StatusDocument));
        }
        else
        {
            WriteTable(status);
        }

        if (status.IsProduction)
        {
            output.Line("This database is marked production: seed, reset and rollback are refused against it.");
        }

        var failed = false;
        if (drifted.Length > 0)
        {
            output.Warning($"{Wording.Count(drifted.Length, "migration")} in the database {(drifted.Length == 1 ? "does" : "do")} not match the code: {string.Join(", ", drifted.Select(m => $"{m.Version} ({StatusDocument.StateName(m.State)})"))}. migrate will refuse to run until the files match what was applied.");
            failed = true;
        }

        if (status.Problem is { } problem && drifted.Length == 0)
        {
            // What migrate would refuse with, in its own words: a gap, a migration pending below applied ones, a row without a checksum.
            output.Warning($"migrate would refuse this history: {problem.Message}");
            failed = true;
        }

        if (status.InvalidIndexes.Count > 0)
        {
            output.Warning(InvalidIndexWarning(status.InvalidIndexes));
            failed = true;
        }

        if (failed)
        {
            return ExitCodes.ValidationFailed;
        }

        var pending = status.Pending.Count;
        output.Summary(pending == 0
            ? $"{status.Applied.Count} applied, 0 pending: the database is up to date."
            : $"{status.Applied.Count} applied, {pending} pending: run 'referralos-db migrate' to apply {(pending == 1 ? "it" : "them")}.");
        return ExitCodes.Ok;
    }

    private void WriteTable(SchemaStatus status)
    {
        var width = status.Migrations.Select(m => m.Version.Length).Append("Version".Length).Max() + 2;
        const int stateWidth = 19;
        output.Heading($"{"Version".PadRight(width)}{"State".PadRight(stateWidth)}Applied at (UTC)");
        foreach (var migration in status.Migrations)
        {
            var line = $"{migration.Version.PadRight(width)}{StatusDocument.StateName(migration.State).PadRight(stateWidth)}{migration.AppliedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}".TrimEnd();
            switch (migration.State)
            {
                case MigrationState.Applied or MigrationState.Repaired:
                    output.Line(line);
                    break;
                case MigrationState.Pending:
                    output.Detail(line);
                    break;
                default:
                    output.Warning(line);
                    break;
            }
        }
    }
}
