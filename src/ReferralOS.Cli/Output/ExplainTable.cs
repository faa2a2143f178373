using System.Globalization;
using ReferralOS.Cli.Explaining;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>What <c>explain</c> prints on a terminal: per migration, per statement, its locks, rewrites, times and findings.</summary>
internal static class ExplainTable
{
    public static void Write(CliOutput output, IReadOnlyList<ExplainedFile> files)
    {
        foreach (var file in files)
        {
            var migration = file.Migration;
            output.Line();
            output.Heading($"{migration.Version}  ({(migration.Migration.TransactionMode == MigrationTransactionMode.Transactional ? "one transaction" : "Transaction: none")}, lock timeout {Wording.Duration(migration.LockTimeout)}, statement timeout {Wording.Duration(migration.StatementTimeout)})");
            output.Detail($"{"line",5}  {"ms",9}  {"held ms",9}  {"predicted",10}  statement");
            foreach (var statement in file.Statements)
            {
                var s = statement.Statement;
                output.Line($"{s.Line,5}  {Milliseconds(s.Duration),9}  {Milliseconds(s.HeldFor),9}  {(s.PredictedHeldFor is { } p ? Wording.Duration(p) : "-"),10}  {Abbreviate(s.Sql, 80)}");
                foreach (var relationLock in s.Locks)
                {
                    var line = $"{string.Empty,41}lock {relationLock.Mode} on {relationLock.Relation}{(relationLock.CreatedInRun ? " (created by this run)" : $": blocks {LockConflicts.Describe(relationLock.Blocks)}")}";
                    if (relationLock.IsBlocking)
                    {
                        output.Warning(line);
                    }
                    else
                    {
                        output.Detail(line);
                    }
                }

                if (s.Rewrites.Count > 0)
                {
                    output.Warning($"{string.Empty,41}rewrites {string.Join(", ", s.Rewrites)}");
                }

                foreach (var finding in statement.Findings)
                {
                    var line = $"{string.Empty,41}{(finding.Id is null ? finding.Status : string.Empty)}{(finding.Id is null ? ": " : string.Empty)}{finding.Message}";
                    if (finding.Status is ExplainFinding.NotConfirmed or ExplainFinding.Excused)
                    {
                        output.Detail(line);
                    }
                    else
                    {
                        output.Warning(line);
                    }
                }
            }
        }
    }

    /// <summary>The statement on one line, cut to <paramref name="width"/> characters.</summary>
    public static string Abbreviate(string sql, int width)
    {
        var flat = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= width ? flat : flat[..(width - 1)] + "…";
    }

    public static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
}
