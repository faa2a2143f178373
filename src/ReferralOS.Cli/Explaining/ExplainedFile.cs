using Microsoft.CodeAnalysis;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Explaining;

/// <summary>
/// One explained migration with the static lint set beside the trace: each ROS01xx diagnostic the build reports on a
/// statement is confirmed or not by what the statement did on the scratch copy, a blocking lock no rule predicted is a
/// finding of its own, and a lock that blocks writes for longer than the file's lock timeout is named.
/// </summary>
internal sealed class ExplainedFile
{
    private ExplainedFile(ExplainedMigration migration, IReadOnlyList<ExplainedStatementFindings> statements)
    {
        Migration = migration;
        Statements = statements;
    }

    public ExplainedMigration Migration { get; }

    public IReadOnlyList<ExplainedStatementFindings> Statements { get; }

    /// <summary>Whether a statement is predicted to hold a lock that blocks writes for longer than the file's lock timeout.</summary>
    public bool ExceedsLockTimeout => Statements.Any(s => s.ExceedsLockTimeout);

    /// <summary>Sets the diagnostics the build reports on the migration's file (<paramref name="diagnostics"/>: every diagnostic of the run) beside its trace.</summary>
    /// <param name="migration">The explained migration.</param>
    /// <param name="diagnostics">The lint's diagnostics; null when the files could not be linted.</param>
    /// <param name="fileLines">The file's lines, to find the opt-out comment before a statement; null when not read.</param>
    public static ExplainedFile From(ExplainedMigration migration, IReadOnlyList<Diagnostic>? diagnostics, IReadOnlyList<string>? fileLines)
    {
        var fileName = Path.GetFileName(migration.Migration.Path);
        var lint = (diagnostics ?? [])
            .Where(d => IsUnsafeOperation(d) && Path.GetFileName(d.Location.GetLineSpan().Path) == fileName)
            .Select(d => (Line: d.Location.GetLineSpan().StartLinePosition.Line + 1, Diagnostic: d))
            .ToArray();
        var transactional = migration.Migration.TransactionMode == MigrationTransactionMode.Transactional;
        var held = new List<RelationLock>();
        var statements = new List<ExplainedStatementFindings>(migration.Statements.Count);
        for (var i = 0; i < migration.Statements.Count; i++)
        {
            var statement = migration.Statements[i];
            var next = i + 1 < migration.Statements.Count ? migration.Statements[i + 1].Line : int.MaxValue;
            var own = lint.Where(d => d.Line >= statement.Line && d.Line < next).Select(d => d.Diagnostic).ToArray();

            // In a transaction a lock stays held to the commit: a later statement works under the locks taken before it.
            if (!transactional)
            {
                held.Clear();
            }

            // The statement's own locks first, then what it works under from earlier statements, one per relation.
            var ownBlocking = statement.Locks.Where(l => l.IsBlocking).ToArray();
            var earlier = held.Where(l => !ownBlocking.Any(o => o.Relation == l.Relation)).DistinctBy(l => l.Relation).ToArray();
            held.AddRange(ownBlocking);
            var findings = new List<ExplainFinding>();
            foreach (var diagnostic in own)
            {
                var confirmedBy = string.Join("; ", ((string[])[Describe(ownBlocking), earlier.Length > 0 ? Describe(earlier) + " (taken by an earlier statement of the transaction)" : string.Empty]).Where(part => part.Length > 0));
                findings.Add(ownBlocking.Length + earlier.Length > 0
                    ? new ExplainFinding(diagnostic.Id, ExplainFinding.Confirmed, $"{diagnostic.Id} confirmed: {confirmedBy}.")
                    : new ExplainFinding(diagnostic.Id, ExplainFinding.NotConfirmed, $"{diagnostic.Id} not confirmed: the statement holds no lock that blocks reads or writes of a table that existed before this run{(statement.Locks.Any(l => l.CreatedInRun) ? " (what it locks was created by this run)" : string.Empty)}."));
            }

            if (own.Length == 0 && ownBlocking.Length > 0)
            {
                findings.Add(OptOutBefore(fileLines, statement.Line) is { } reason
                    ? new ExplainFinding(null, ExplainFinding.Excused, $"{Describe(ownBlocking)}; excused in the file: {reason}")
                    : new ExplainFinding(null, ExplainFinding.Unpredicted, $"{Describe(ownBlocking)}, and no lint rule reported the statement."));
            }

            var exceeds = statement.Locks.Any(l => l.BlocksWrites) && (statement.PredictedHeldFor ?? statement.HeldFor) > migration.LockTimeout;
            if (exceeds)
            {
                var predicted = statement.PredictedHeldFor is null ? "held" : "predicted to be held";
                findings.Add(new ExplainFinding(
                    null,
                    ExplainFinding.ExceedsLockTimeout,
                    $"{string.Join(", ", statement.Locks.Where(l => l.BlocksWrites).Select(l => $"{l.Mode} on {l.Relation}"))} blocks writes and is {predicted} for {Wording.Duration(statement.PredictedHeldFor ?? statement.HeldFor)}, " +
                    $"longer than the file's lock timeout of {Wording.Duration(migration.LockTimeout)}: every write to it waits that long, and any that gives up fails."));
            }

            statements.Add(new ExplainedStatementFindings(statement, findings, exceeds));
        }

        return new ExplainedFile(migration, statements);
    }

    /// <summary>A diagnostic of the unsafe-operation lint (ROS0101–ROS0118; ROS0100, an opt-out without a reason, is about the comment).</summary>
    public static bool IsUnsafeOperation(Diagnostic diagnostic) => diagnostic.Id.StartsWith("ROS01", StringComparison.Ordinal) && diagnostic.Id != "ROS0100";

    /// <summary>The locks as a reader wants them: mode, relation and what waits.</summary>
    public static string Describe(IEnumerable<RelationLock> locks) =>
        string.Join("; ", locks.Select(l => $"{l.Mode} on {l.Relation} blocks {LockConflicts.Describe(l.Blocks)}"));

    /// <summary>The reason of a <c>-- referralos:allow … because …</c> comment on the line before a statement, if there is one.</summary>
    private static string? OptOutBefore(IReadOnlyList<string>? lines, int statementLine)
    {
        for (var line = statementLine - 2; lines is not null && line >= 0 && line < lines.Count; line--)
        {
            var text = lines[line].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            return text.StartsWith("-- referralos:allow", StringComparison.Ordinal) ? text[3..] : null;
        }

        return null;
    }
}

/// <summary>One explained statement and its findings.</summary>
/// <param name="Statement">What the trace found.</param>
/// <param name="Findings">The lint's findings, confirmed or not, and the locks no rule predicted.</param>
/// <param name="ExceedsLockTimeout">A lock it took that blocks writes is predicted to be held longer than the file's lock timeout.</param>
internal sealed record ExplainedStatementFindings(ExplainedStatement Statement, IReadOnlyList<ExplainFinding> Findings, bool ExceedsLockTimeout);
