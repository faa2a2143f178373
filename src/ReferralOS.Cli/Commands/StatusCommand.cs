using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Connecting;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary><c>referralos-db status</c>: which migrations the database has applied and which are pending.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var json = CommonOptions.Json();
        var execution = ExecutionCatalog.ExecutionOption();
        var historyTable = CommonOptions.HistoryTable();
        var command = new DocumentedCommand("status", "Show every migration the code or the database knows: applied (with when), pending, edited after it was applied (checksum mismatch), or unknown to the code; and whether the database is marked production. Exits 3 on a mismatch or an unknown migration.")
        {
            Examples =
            [
                "referralos-db status",
                "referralos-db status --json | jq -r '.migrations[] | select(.state == \"pending\") | .version'",
                "referralos-db status --execution ./db -c \"$DATABASE_URL\"   # your own schema, compiled from ./db",
            ],
        };
        command.Options.Add(connection);
        command.Options.Add(json);
        command.Options.Add(execution);
        command.Options.Add(historyTable);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context, documentToOut: parse.GetValue(json));
            return CommandInvocation.RunAsync(output, ct => RunAsync(context, output, parse.GetValue(connection), parse.GetValue(execution), parse.GetValue(historyTable), ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, string? connection, string? execution, string? historyTable, CancellationToken cancellationToken)
    {
        var catalog = await ExecutionCatalog.ResolveAsync(execution, context, output, cancellationToken).ConfigureAwait(false);
        await using var target = await DatabaseTarget.ResolveAsync(connection, context, output, cancellationToken).ConfigureAwait(false);
        var status = await new SchemaMigrator(catalog, target.DataSource, CommonOptions.MigrationOptions(null, null, historyTable)).StatusAsync(cancellationToken).ConfigureAwait(false);
        var drifted = status.Migrations.Where(m => m.State is MigrationState.ChecksumMismatch or MigrationState.Unknown).ToArray();

        if (output.DocumentToOut)
        {
            output.Document(JsonSerializer.Serialize(StatusDocument.From(target.Display, status), StatusJsonContext.Default.StatusDocument));
        }
        else
        {
            WriteTable(output, status);
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

    /// <summary>The warning for INVALID indexes, shared with verify.</summary>
    public static string InvalidIndexWarning(IReadOnlyList<string> indexes) =>
        $"{Wording.Count(indexes.Count, "index")} {(indexes.Count == 1 ? "is" : "are")} INVALID: {string.Join(", ", indexes)} — left by an interrupted CREATE INDEX CONCURRENTLY " +
        "(unless a session is building it right now). The planner ignores an INVALID index and every write still maintains it. " +
        $"Drop it and migrate again to build it anew: {string.Join(" ", indexes.Select(i => $"DROP INDEX CONCURRENTLY IF EXISTS {i};"))}";

    private static void WriteTable(CliOutput output, SchemaStatus status)
    {
        var width = status.Migrations.Select(m => m.Version.Length).Append("Version".Length).Max() + 2;
        const int stateWidth = 19;
        output.Heading($"{"Version".PadRight(width)}{"State".PadRight(stateWidth)}Applied at (UTC)");
        foreach (var migration in status.Migrations)
        {
            var line = $"{migration.Version.PadRight(width)}{StatusDocument.StateName(migration.State).PadRight(stateWidth)}{migration.AppliedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}".TrimEnd();
            switch (migration.State)
            {
                case MigrationState.Applied:
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
