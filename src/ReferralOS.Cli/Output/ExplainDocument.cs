using System.Text.Json.Serialization;
using ReferralOS.Cli.Explaining;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// What <c>explain --json</c> writes: a stable shape for scripts and CI. Add fields freely; never rename or remove one.
/// Times are milliseconds; lock modes are spelled as <c>pg_locks</c> spells them.
/// </summary>
internal sealed record ExplainDocument(string Database, string Source, string ScratchDatabase, bool ExceedsLockTimeout, IReadOnlyList<ExplainDocument.MigrationEntry> Migrations)
{
    public static ExplainDocument From(string database, ExplainReport report, IReadOnlyList<ExplainedFile> files) => new(
        database,
        report.Source,
        report.ScratchDatabase,
        files.Any(f => f.ExceedsLockTimeout),
        files.Select(f => new MigrationEntry(
            f.Migration.Version,
            f.Migration.Migration.Path,
            f.Migration.Migration.TransactionMode == MigrationTransactionMode.Transactional ? "transactional" : "none",
            Milliseconds(f.Migration.LockTimeout),
            Milliseconds(f.Migration.StatementTimeout),
            f.Statements.Select(s => new StatementEntry(
                s.Statement.Line,
                s.Statement.Sql,
                s.Statement.Locks.Select(l => new LockEntry(l.Relation, l.Mode.ToString(), l.CreatedInRun, Blocked(l.Blocks))).ToArray(),
                s.Statement.Rewrites,
                Milliseconds(s.Statement.Duration),
                Milliseconds(s.Statement.HeldFor),
                s.Statement.PredictedDuration is { } predicted ? Milliseconds(predicted) : null,
                s.Statement.PredictedHeldFor is { } predictedHeld ? Milliseconds(predictedHeld) : null,
                s.Statement.SnapshotRows,
                s.Statement.Sampled,
                s.ExceedsLockTimeout,
                s.Findings.Select(x => new FindingEntry(x.Id, x.Status, x.Message)).ToArray())).ToArray())).ToArray());

    private static double Milliseconds(TimeSpan value) => Math.Round(value.TotalMilliseconds, 3);

    private static string[] Blocked(BlockedOperations blocked) =>
        LockConflicts.Describe(blocked).Split(", ", StringSplitOptions.RemoveEmptyEntries).Where(o => o != "nothing").ToArray();

    /// <summary>One migration: its version, file, transaction mode, timeouts (ms) and statements.</summary>
    internal sealed record MigrationEntry(string Version, string Path, string Transaction, double LockTimeoutMs, double StatementTimeoutMs, IReadOnlyList<StatementEntry> Statements);

    /// <summary>One statement: where it is, what it is, what it locked and rewrote, how long it ran and held its locks, and the findings.</summary>
    internal sealed record StatementEntry(
        int Line,
        string Sql,
        IReadOnlyList<LockEntry> Locks,
        IReadOnlyList<string> Rewrites,
        double Ms,
        double HeldMs,
        double? PredictedMs,
        double? PredictedHeldMs,
        long? SnapshotRows,
        bool Sampled,
        bool ExceedsLockTimeout,
        IReadOnlyList<FindingEntry> Findings);

    /// <summary>One relation lock: the relation, the mode, whether the run created the relation, and the operations that wait while it is held.</summary>
    internal sealed record LockEntry(string Relation, string Mode, bool CreatedInRun, IReadOnlyList<string> Blocks);

    /// <summary>One finding: the lint id (null for a lock no rule predicted), its status and what it says.</summary>
    internal sealed record FindingEntry(string? Id, string Status, string Message);
}

/// <summary>Compile-time JSON for <see cref="ExplainDocument"/>: camelCase, indented, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ExplainDocument))]
internal sealed partial class ExplainJsonContext : JsonSerializerContext;
