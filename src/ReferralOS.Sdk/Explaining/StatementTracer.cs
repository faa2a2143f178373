using System.Diagnostics;
using Npgsql;
using ReferralOS.Sdk.Migrating;

namespace ReferralOS.Sdk.Explaining;

/// <summary>
/// Runs migrations on a scratch database one statement at a time and records, for each, the relation locks it took,
/// the relations it rewrote and how long it ran. A transactional migration runs in one transaction, and after each
/// statement the session reads its own <c>pg_locks</c> (everything it took is held until the commit) and
/// <c>pg_class</c>, in one round trip. A <c>Transaction: none</c> migration's statements run on their own while a
/// <see cref="LockSampler"/> watches from a second session and a <see cref="LockGate"/> holds up their first strong lock
/// request long enough to be read.
/// </summary>
internal sealed class StatementTracer(NpgsqlConnection connection, LockSampler sampler, LockGate gate, RelationSnapshot start)
{
    /// <summary>Traces one migration's Up section; the scratch database keeps its effects (committed), for the migrations after it.</summary>
    /// <exception cref="MigrationFailedException">A statement failed on the scratch copy: the migration would fail on the target too.</exception>
    public async Task<IReadOnlyList<ExplainedStatement>> TraceAsync(Migration migration, CancellationToken cancellationToken)
    {
        var statements = migration.Up.Statements;
        return migration.TransactionMode == MigrationTransactionMode.Transactional
            ? await TraceTransactionAsync(migration, statements, cancellationToken).ConfigureAwait(false)
            : await TraceEachAsync(migration, statements, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ExplainedStatement>> TraceTransactionAsync(Migration migration, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var traced = new List<(SqlStatement Statement, IReadOnlyList<RelationLock> Locks, IReadOnlyList<string> Rewrites, TimeSpan Duration)>(statements.Count);
        var held = new HashSet<(uint, string)>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            var before = await RelationSnapshot.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            foreach (var statement in statements)
            {
                var duration = await RunAsync(migration, statement, cancellationToken).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands = { new NpgsqlBatchCommand(TakenLocks.OwnQuery), new NpgsqlBatchCommand(RelationSnapshot.Query) },
                };
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var taken = new List<(uint, string)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var pair = (reader.GetFieldValue<uint>(0), reader.GetString(1));
                    if (held.Add(pair))
                    {
                        taken.Add(pair);
                    }
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                var after = await RelationSnapshot.ReadAsync(reader, cancellationToken).ConfigureAwait(false);
                traced.Add((statement, TakenLocks.Resolve(taken, before, after, start), before.Rewritten(after), duration));
                before = after;
            }

            var committing = Stopwatch.GetTimestamp();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            var commit = Stopwatch.GetElapsedTime(committing);

            // Every lock is held from its statement until the commit.
            var explained = new ExplainedStatement[traced.Count];
            var remaining = commit;
            for (var i = traced.Count - 1; i >= 0; i--)
            {
                remaining += traced[i].Duration;
                explained[i] = new ExplainedStatement(traced[i].Statement.Line, traced[i].Statement.Sql, traced[i].Locks, traced[i].Rewrites, traced[i].Duration, remaining, Sampled: false);
            }

            return explained;
        }
    }

    private async Task<IReadOnlyList<ExplainedStatement>> TraceEachAsync(Migration migration, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var explained = new List<ExplainedStatement>(statements.Count);
        foreach (var statement in statements)
        {
            var before = await RelationSnapshot.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            LockGate.GatedRequest? gated = null;
            var (locks, duration) = await sampler.SampleAsync(
                connection,
                async () =>
                {
                    var ran = TimeSpan.Zero;
                    (gated, var waited) = await gate.RunAsync(connection.ProcessID, async () => ran = await RunAsync(migration, statement, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    return ran - waited;
                },
                cancellationToken).ConfigureAwait(false);
            var after = await RelationSnapshot.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var taken = locks.Concat(before.Replaced(after).Select(oid => (oid, nameof(LockMode.AccessExclusiveLock))));
            if (gated is not null)
            {
                taken = taken.Append((gated.Relation, gated.Mode));
            }

            explained.Add(new ExplainedStatement(statement.Line, statement.Sql, TakenLocks.Resolve(taken, before, after, start), before.Rewritten(after), duration, duration, Sampled: true));
        }

        return explained;
    }

    private async Task<TimeSpan> RunAsync(Migration migration, SqlStatement statement, CancellationToken cancellationToken)
    {
        // One command a batch, as the migrator sends it: CONCURRENTLY is refused in a multi-statement one.
        await using var batch = new NpgsqlBatch(connection) { Timeout = 0, BatchCommands = { new NpgsqlBatchCommand(MigrationExecutor.CommandText(statement)) } };
        var started = Stopwatch.GetTimestamp();
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            var line = statement.LineOf(ex.Position);
            throw new MigrationFailedException(
                $"Migration {migration.Version} failed at {migration.Path}:{line} when explained on a scratch copy: {ex.MessageText} (SQLSTATE {ex.SqlState}). " +
                "It would fail the same way on the database: fix the file, then explain it again. The database was not touched.",
                migration.Version,
                migration.Path,
                line,
                ex.SqlState,
                ex);
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
