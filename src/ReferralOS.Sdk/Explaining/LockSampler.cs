using System.Globalization;
using Npgsql;

namespace ReferralOS.Sdk.Explaining;

/// <summary>
/// A second session that watches the migrating backend's locks while a statement that cannot run in a transaction
/// runs (CREATE INDEX CONCURRENTLY and friends, which commit several times and let go of locks along the way, so that
/// reading <c>pg_locks</c> after them finds nothing). It sits in another database of the same server: CONCURRENTLY
/// waits for every transaction of its own database that holds a snapshot, and would wait for the sampler forever.
/// </summary>
/// <remarks>
/// The sampling is a loop on the server — a DO block that reads <c>pg_locks</c> for the migrating pid without pause —
/// so a lock held for a fraction of a millisecond (DROP INDEX CONCURRENTLY's last ACCESS EXCLUSIVE) is still seen. It
/// ends when the session-level advisory lock the migrating session took before the statement is gone (released after
/// the statement, or with the session if it died), so it needs no statement_timeout and is never cancelled.
/// </remarks>
internal sealed class LockSampler : IAsyncDisposable
{
    /// <summary>The custom setting the loop leaves its findings in, read in the same round trip.</summary>
    private const string Setting = "referralos.explain_samples";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);

    private readonly NpgsqlConnection _connection;

    private LockSampler(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Opens the sampling session on <paramref name="connectionString"/> (a database other than the migrating one).</summary>
    public static async Task<LockSampler> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "referralos-explain-sampler" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return new LockSampler(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="statement"/> on <paramref name="migrating"/> (outside any transaction) while this session samples
    /// its relation locks; returns every (oid, mode) seen, and the statement's duration.
    /// </summary>
    public async Task<(IReadOnlyList<(uint Oid, string Mode)> Locks, TimeSpan Duration)> SampleAsync(NpgsqlConnection migrating, Func<Task<TimeSpan>> statement, CancellationToken cancellationToken)
    {
        var signal = NextKey();
        var started = NextKey();
        await ExecuteAsync(migrating, $"SELECT pg_catalog.pg_advisory_lock({signal})", cancellationToken).ConfigureAwait(false);
        Task<string> sampling;
        try
        {
            sampling = LoopAsync(migrating.ProcessID, signal, started);
            await WaitForStartAsync(migrating, started, sampling, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ExecuteAsync(migrating, $"SELECT pg_catalog.pg_advisory_unlock({signal})", CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        TimeSpan duration;
        try
        {
            duration = await statement().ConfigureAwait(false);
        }
        finally
        {
            // Ends the loop, on success and failure alike.
            await ExecuteAsync(migrating, $"SELECT pg_catalog.pg_advisory_unlock({signal})", CancellationToken.None).ConfigureAwait(false);
        }

        var text = await sampling.ConfigureAwait(false);
        return (Parse(text), duration);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static (uint Oid, string Mode)[] Parse(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(':'))
            .Select(parts => (uint.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]))
            .ToArray();

    /// <summary>A key for an advisory lock that nothing else uses: random, below 2^31 so that pg_locks shows it as classid 0, objid key.</summary>
    private static long NextKey() => Random.Shared.NextInt64(1, int.MaxValue);

    private async Task<string> LoopAsync(int pid, long signal, long started)
    {
        await using var batch = new NpgsqlBatch(_connection)
        {
            Timeout = 0,
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    $$"""
                    DO $sampler$
                    DECLARE
                      seen text[] := '{}';
                      running boolean;
                      r record;
                    BEGIN
                      PERFORM pg_catalog.pg_advisory_xact_lock({{started}});
                      LOOP
                        running := false;
                        FOR r IN SELECT l.locktype, l.relation::text || ':' || l.mode AS taken FROM pg_catalog.pg_locks l
                                  WHERE l.pid = {{pid}}
                                    AND ((l.locktype = 'relation' AND l.relation >= 16384)
                                      OR (l.locktype = 'advisory' AND l.classid = 0 AND l.objid = {{signal}} AND l.objsubid = 1))
                        LOOP
                          IF r.locktype = 'advisory' THEN
                            running := true;
                          ELSIF NOT r.taken = ANY (seen) THEN
                            seen := seen || r.taken;
                          END IF;
                        END LOOP;
                        EXIT WHEN NOT running;
                      END LOOP;
                      PERFORM pg_catalog.set_config('{{Setting}}', pg_catalog.array_to_string(seen, ','), false);
                    END
                    $sampler$
                    """),
                new NpgsqlBatchCommand($"SELECT pg_catalog.current_setting('{Setting}')"),
            },
        };
        return (string)(await batch.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!;
    }

    /// <summary>Waits until the loop holds its start lock: from then on every lock the statement takes is seen.</summary>
    private async Task WaitForStartAsync(NpgsqlConnection migrating, long started, Task sampling, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartPatience;
        await using var probe = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT FROM pg_catalog.pg_locks WHERE pid = {_connection.ProcessID} AND locktype = 'advisory' AND classid = 0 AND objid = {started} AND objsubid = 1 AND granted)",
            migrating);
        while (!(bool)(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            if (sampling.IsCompleted)
            {
                await sampling.ConfigureAwait(false);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The lock sampler (backend {_connection.ProcessID}) did not start within {StartPatience.TotalSeconds:0}s.");
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
