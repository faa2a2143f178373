namespace ReferralOS.Sdk.Explaining;

/// <summary>
/// Scales what a statement took on the scratch copy to the database a statistics snapshot describes: by the largest
/// ratio, over the pre-existing tables it locked or rewrote, of the rows the snapshot records to the rows the copy held.
/// A statement that touches no table the snapshot knows keeps its measured time. Work on a table grows about linearly
/// with its rows for what migrations do (a scan, a rewrite, an index build's sort is n log n: the prediction is then low).
/// </summary>
internal static class Prediction
{
    public static IReadOnlyList<ExplainedStatement> Scale(IReadOnlyList<ExplainedStatement> statements, bool transactional, DatabaseStatistics snapshot, IReadOnlyDictionary<string, long> scratchRows)
    {
        var scaled = new ExplainedStatement[statements.Count];
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            var tables = statement.Locks.Where(l => !l.CreatedInRun).Select(l => l.Relation).Concat(statement.Rewrites)
                .Select(snapshot.Find).OfType<TableStatistics>().DistinctBy(t => t.Table).ToArray();

            // An empty table measured nothing but the statement's fixed cost, which does not grow with rows.
            var sampled = tables.Where(t => scratchRows.GetValueOrDefault(t.Table) > 0).ToArray();
            var factor = sampled.Length == 0 ? 1 : sampled.Max(t => t.Rows / (double)scratchRows[t.Table]);
            scaled[i] = statement with
            {
                PredictedDuration = statement.Duration * Math.Max(1, factor),
                SnapshotRows = tables.Length == 0 ? null : tables.Max(t => t.Rows),
            };
        }

        // Held: in a transaction from the statement to the commit (whose own time is what the measurement left over), else the statement alone.
        var commit = statements.Count == 0 || !transactional ? TimeSpan.Zero : statements[^1].HeldFor - statements[^1].Duration;
        var remaining = commit;
        for (var i = scaled.Length - 1; i >= 0; i--)
        {
            remaining = transactional ? remaining + scaled[i].PredictedDuration!.Value : scaled[i].PredictedDuration!.Value;
            scaled[i] = scaled[i] with { PredictedHeldFor = remaining };
        }

        return scaled;
    }
}
