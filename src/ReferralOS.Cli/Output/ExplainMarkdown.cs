using System.Globalization;
using System.Text;
using ReferralOS.Cli.Explaining;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>What <c>explain --markdown</c> writes: one table per migration, for a pull-request comment.</summary>
internal static class ExplainMarkdown
{
    public static string Write(ExplainReport report, IReadOnlyList<ExplainedFile> files)
    {
        var text = new StringBuilder();
        text.AppendLine("## referralos-db explain");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Ran on a scratch copy built from {report.Source}, dropped afterwards.");
        foreach (var file in files)
        {
            var migration = file.Migration;
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"### {migration.Version} ({Mode(migration.Migration)}, lock timeout {Wording.Duration(migration.LockTimeout)})");
            text.AppendLine();
            text.AppendLine("| Line | Statement | Locks | Rewrites | ms | Held ms | Predicted held | Findings |");
            text.AppendLine("|---:|---|---|---|---:|---:|---:|---|");
            foreach (var statement in file.Statements)
            {
                var s = statement.Statement;
                text.AppendLine(string.Join(" | ", [
                    $"| {s.Line}",
                    $"`{Cell(ExplainTable.Abbreviate(s.Sql, 70))}`",
                    Cell(string.Join("<br>", s.Locks.Select(l => $"{l.Relation} **{l.Mode}**{(l.CreatedInRun ? " (new)" : string.Empty)}"))),
                    Cell(string.Join(", ", s.Rewrites)),
                    ExplainTable.Milliseconds(s.Duration),
                    ExplainTable.Milliseconds(s.HeldFor),
                    s.PredictedHeldFor is { } predicted ? Wording.Duration(predicted) : string.Empty,
                    Cell(string.Join("<br>", statement.Findings.Select(f => (f.Status == ExplainFinding.Confirmed || f.Status == ExplainFinding.NotConfirmed ? string.Empty : $"**{f.Status}**: ") + f.Message))) + " |",
                ]));
            }
        }

        if (files.Any(f => f.ExceedsLockTimeout))
        {
            text.AppendLine();
            text.AppendLine("**A statement is predicted to hold a lock that blocks writes for longer than its file's lock timeout.**");
        }

        return text.ToString();
    }

    private static string Mode(Migration migration) => migration.TransactionMode == MigrationTransactionMode.Transactional ? "one transaction" : "Transaction: none";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
