namespace ReferralOS.Sdk;

/// <summary>What one statement of a migration did when it ran on the scratch database.</summary>
/// <param name="Line">One-based line of the statement in the .sql file.</param>
/// <param name="Sql">The statement as written.</param>
/// <param name="Locks">Each relation it locked with the strongest mode it took there, by relation name.</param>
/// <param name="Rewrites">The relations (tables, materialized views, indexes) it rewrote — wrote to a new file — by name.</param>
/// <param name="Duration">How long it ran on the scratch database.</param>
/// <param name="HeldFor">
/// How long its locks stayed held there: in a transactional migration until the commit (this statement, every later one
/// and the commit), in a <c>Transaction: none</c> one for the statement itself.
/// </param>
/// <param name="Sampled">
/// Its locks were sampled from a second session while it ran (a <c>Transaction: none</c> migration), rather than read
/// inside its transaction after it.
/// </param>
public sealed record ExplainedStatement(int Line, string Sql, IReadOnlyList<RelationLock> Locks, IReadOnlyList<string> Rewrites, TimeSpan Duration, TimeSpan HeldFor, bool Sampled)
{
    /// <summary>With a statistics snapshot: how long it is predicted to run on the database the snapshot describes; else null.</summary>
    public TimeSpan? PredictedDuration { get; init; }

    /// <summary>With a statistics snapshot: how long its locks are predicted to stay held there (as <see cref="HeldFor"/>); else null.</summary>
    public TimeSpan? PredictedHeldFor { get; init; }

    /// <summary>With a statistics snapshot: the rows the snapshot records in the pre-existing tables it locked; else null.</summary>
    public long? SnapshotRows { get; init; }
}
