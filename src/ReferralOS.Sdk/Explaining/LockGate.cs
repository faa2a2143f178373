using System.Diagnostics;
using Npgsql;

namespace ReferralOS.Sdk.Explaining;

/// <summary>
/// Makes the first strong lock a statement outside a transaction asks for wait, so that it can be read from
/// <c>pg_locks</c> however briefly the statement would hold it. Before the statement, a third session (on the scratch
/// database) takes SHARE UPDATE EXCLUSIVE on every relation that exists — with COMMENT ON, which works on tables,
/// materialized views and indexes alike, in a transaction that is rolled back — so the statement's first request for
/// SHARE UPDATE EXCLUSIVE or stronger queues behind it; the gate reads the waiting request and rolls back at once.
/// </summary>
/// <remarks>
/// A sampler polling from another session sees what it is given processor time to see: on a loaded machine and a fast
/// disk, a CREATE INDEX CONCURRENTLY on a small table can start and finish between two of its looks. The gate costs
/// the statement the wait for one round trip, which the tracer takes off its duration, and it is open again before the
/// statement gets to waiting for older snapshots, which a transaction still open on the database would stall.
/// </remarks>
internal sealed class LockGate(NpgsqlConnection connection)
{
    /// <summary>Every user relation the gate can lock, each in a subtransaction of its own so that one it cannot get (autovacuum holds it) is skipped.</summary>
    private const string Close =
        """
        DO $gate$
        DECLARE r record;
        BEGIN
          PERFORM pg_catalog.set_config('lock_timeout', '10ms', true);
          FOR r IN SELECT c.oid::pg_catalog.regclass AS name, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'm', 'i', 'I') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
          LOOP
            BEGIN
              EXECUTE pg_catalog.format('COMMENT ON %s %s IS NULL', CASE r.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'i' THEN 'INDEX' WHEN 'I' THEN 'INDEX' ELSE 'TABLE' END, r.name);
            EXCEPTION WHEN lock_not_available THEN NULL;
            END;
          END LOOP;
        END
        $gate$
        """;

    /// <summary>
    /// Closes the gate, runs the statement, opens the gate at the statement's first wait on it (or when it ends without
    /// one), and returns the request it read — null when there was none — and the time the statement waited.
    /// </summary>
    public async Task<(GatedRequest? Request, TimeSpan Waited)> RunAsync(int pid, Func<Task> statement, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var close = new NpgsqlCommand(Close, connection))
        {
            await close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var running = statement();
        GatedRequest? request = null;
        try
        {
            await using var probe = new NpgsqlCommand(
                $"SELECT relation, mode FROM pg_catalog.pg_locks WHERE pid = {pid} AND locktype = 'relation' AND NOT granted LIMIT 1",
                connection);
            while (!running.IsCompleted && request is null)
            {
                await using var reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    request = new GatedRequest(reader.GetFieldValue<uint>(0), reader.GetString(1));
                }
            }
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var waited = request is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started);
        await running.ConfigureAwait(false);
        return (request, waited);
    }

    /// <summary>The lock request the gate read: relation oid and mode as pg_locks spells it.</summary>
    public sealed record GatedRequest(uint Relation, string Mode);
}
