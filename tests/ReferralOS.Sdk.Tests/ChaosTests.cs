using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 16.2: sixteen real migrator processes against one database, through PgBouncer in transaction pooling, in
/// session pooling, and directly, with a pending CREATE INDEX CONCURRENTLY; whoever holds the lock (the lease behind
/// the pooler, the advisory lock directly) is killed with SIGKILL again and again and replaced by a fresh process.
/// Every migration is applied exactly once, no lock or lease is left, nothing hangs, and after each kill the next
/// instance takes over within the lease (behind the pooler) or at once (directly), plus a few seconds.
/// </summary>
public sealed class ChaosTests(PostgresServerFixture postgres)
{
    private const int Instances = 16;
    private const int KillsPerTopology = 7;

    /// <summary>The lease the migrators run with: short, so that the test's waits are short.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    /// <summary>How much longer than the lease (behind a pooler) or than nothing (directly) a takeover may take: polling, process scheduling on a loaded machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    /// <summary>The advisory lock key as pg_locks shows it: its high half as classid, its low half as objid.</summary>
    private static readonly string AdvisoryLock =
        $"l.classid = {(uint)(MigrationOptions.DefaultAdvisoryLockKey >> 32)} AND l.objid = {unchecked((uint)MigrationOptions.DefaultAdvisoryLockKey)} AND l.objsubid = 1";

    private enum Topology
    {
        TransactionPooling,
        SessionPooling,
        Direct,
    }

    [Fact(Timeout = 480_000)]
    public async Task Sixteen_migrators_whose_lock_holder_is_killed_again_and_again_apply_every_migration_once_behind_pgbouncer_in_both_modes_and_direct()
    {
        var started = Stopwatch.GetTimestamp();
        var figures = new List<Figures>();
        foreach (var topology in Enum.GetValues<Topology>())
        {
            figures.Add(await RunAsync(topology));
        }

        Assert.True(figures.Sum(f => f.Kills) >= 20, $"{figures.Sum(f => f.Kills)} kills");
        var output = TestContext.Current.TestOutputHelper;
        foreach (var f in figures)
        {
            output?.WriteLine(
                $"{f.Topology}: {f.Kills} kills survived ({f.KilledInIndexBuild} during CREATE INDEX CONCURRENTLY), {f.Processes} processes, " +
                $"takeover after a kill: median {Median(f.Takeovers):0.00}s, max {f.Takeovers.DefaultIfEmpty().Max():0.00}s (lease {Lease.TotalSeconds:0}s), wall {f.Wall.TotalSeconds:0.0}s");
        }

        output?.WriteLine($"Total: {figures.Sum(f => f.Kills)} kills, wall {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s");
    }

    private async Task<Figures> RunAsync(Topology topology)
    {
        var started = Stopwatch.GetTimestamp();
        var catalog = TestCatalog.Chaos();
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = topology == Topology.Direct
            ? null
            : await PgBouncer.StartAsync(database.ConnectionString, topology == Topology.TransactionPooling ? PoolMode.Transaction : PoolMode.Session, poolSize: topology == Topology.TransactionPooling ? 4 : 40);
        var target = new NpgsqlConnectionStringBuilder(bouncer?.ConnectionString ?? database.ConnectionString) { Timeout = 120 };
        var pooled = bouncer is not null;

        var processes = new Dictionary<string, Process>();
        var killed = new HashSet<Process>();
        var outputs = new Dictionary<Process, Task<string>>();
        void StartOne()
        {
            var name = $"chaos-{processes.Count}";
            var process = MigratorProcess.Start("chaos", new NpgsqlConnectionStringBuilder(target.ConnectionString) { ApplicationName = name }.ConnectionString, Lease.TotalSeconds.ToString(CultureInfo.InvariantCulture));
            processes[name] = process;
            outputs[process] = ReadAllAsync(process);
        }

        for (var i = 0; i < Instances; i++)
        {
            StartOne();
        }

        var takeovers = new List<double>();
        var inIndexBuild = 0;
        var random = new Random(16);
        string? previous = null;
        long killedAt = 0;
        try
        {
            while (killed.Count < KillsPerTopology)
            {
                var holder = await HolderAsync(database.DataSource, pooled, processes);
                if (holder is null)
                {
                    if (processes.Values.All(p => p.HasExited))
                    {
                        break; // Everything applied before enough kills: the assertion on the total says so.
                    }

                    await Task.Delay(10, TestContext.Current.CancellationToken);
                    continue;
                }

                if (holder.Value.Identity == previous)
                {
                    await Task.Delay(10, TestContext.Current.CancellationToken);
                    continue;
                }

                if (killedAt != 0)
                {
                    takeovers.Add(Stopwatch.GetElapsedTime(killedAt).TotalSeconds);
                }

                previous = holder.Value.Identity;

                // Let it make progress — one more migration recorded — then kill it a moment later; but twice per topology
                // the moment its CREATE INDEX CONCURRENTLY is under way.
                var building = false;
                var recorded = await RecordedAsync(database.DataSource);
                for (var until = Stopwatch.GetTimestamp() + (15 * Stopwatch.Frequency); Stopwatch.GetTimestamp() < until;)
                {
                    building = inIndexBuild < 2 && await Sql.ScalarAsync<bool>(database.DataSource, "SELECT EXISTS (SELECT FROM pg_stat_progress_create_index WHERE datname = current_database())");
                    if (building || await RecordedAsync(database.DataSource) > recorded)
                    {
                        break;
                    }

                    await Task.Delay(20, TestContext.Current.CancellationToken);
                }

                if (!building)
                {
                    await Task.Delay(random.Next(0, 300), TestContext.Current.CancellationToken);
                }

                var still = await HolderAsync(database.DataSource, pooled, processes);
                if (still?.Identity != previous || still.Value.Process.HasExited)
                {
                    killedAt = 0;
                    continue;
                }

                still.Value.Process.Kill(entireProcessTree: true);
                killedAt = Stopwatch.GetTimestamp();
                killed.Add(still.Value.Process);
                inIndexBuild += building ? 1 : 0;
                StartOne();
            }

            using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            patience.CancelAfter(TimeSpan.FromMinutes(3));
            foreach (var process in processes.Values)
            {
                await process.WaitForExitAsync(patience.Token);
            }
        }
        finally
        {
            foreach (var process in processes.Values.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // Every instance that was not killed finished without an error: none gave up waiting, none lost its lease.
        foreach (var process in processes.Values.Where(p => !killed.Contains(p)))
        {
            var output = await outputs[process];
            Assert.True(process.ExitCode == 0, $"{topology}: exit {process.ExitCode}: {output}");
        }

        // Each migration ran exactly once and is recorded once; the index was built and is valid.
        Assert.Equal(
            catalog.Migrations.Select(m => (m.Version[..3], 1L)),
            await Sql.ListAsync(database.DataSource, "SELECT version, count(*) FROM runs GROUP BY version ORDER BY version", r => (r.GetString(0), r.GetInt64(1))));
        Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        Assert.Equal([true], await Sql.ListAsync(database.DataSource, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_items_id'::regclass", r => r.GetBoolean(0)));

        // No advisory lock and no lease left behind.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database.DataSource, $"SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND {AdvisoryLock} AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        if (pooled)
        {
            Assert.True(await Sql.LeaseIsFreeAsync(database.DataSource));
        }
        else
        {
            Assert.Empty(await Sql.ListAsync(database.DataSource, "SELECT 1 FROM pg_class WHERE relname = 'schema_migrations_lock'", r => r.GetInt32(0)));
        }

        // After each kill the next instance took over within the lease (directly: at once), plus scheduling slack.
        var bound = (pooled ? Lease : TimeSpan.Zero) + Slack;
        Assert.All(takeovers, t => Assert.True(t <= bound.TotalSeconds, $"{topology}: a takeover {t:0.00}s after the kill, more than {bound.TotalSeconds}s"));
        return new Figures(topology, killed.Count, inIndexBuild, processes.Count, takeovers, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Who holds the lock now, as the database shows it: behind a pooler the lease's owner (host and process id) with its
    /// token, directly the application name of the session holding the advisory lock.
    /// </summary>
    private static async Task<(string Identity, Process Process)?> HolderAsync(NpgsqlDataSource dataSource, bool pooled, Dictionary<string, Process> processes)
    {
        if (pooled)
        {
            List<(string Owner, long Token)> lease;
            try
            {
                lease = await Sql.ListAsync(
                    dataSource,
                    "SELECT owner, token FROM schema_migrations_lock WHERE owner IS NOT NULL AND expires_at > clock_timestamp()",
                    r => (Owner: r.GetString(0), Token: r.GetInt64(1)));
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return null; // Not created yet.
            }

            if (lease.Count == 0)
            {
                return null;
            }

            var pid = int.Parse(lease[0].Owner[(lease[0].Owner.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            var process = processes.Values.FirstOrDefault(p => p.Id == pid);
            return process is null ? null : ($"token {lease[0].Token}", process);
        }

        var names = await Sql.ListAsync(
            dataSource,
            $"SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND {AdvisoryLock}",
            r => r.GetString(0));
        return names.Count == 1 && processes.TryGetValue(names[0], out var holder) ? ($"{names[0]}", holder) : null;
    }

    /// <summary>How many migrations the history records; 0 before the table exists.</summary>
    private static async Task<long> RecordedAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            return await Sql.ScalarAsync<long>(dataSource, "SELECT count(*) FROM schema_migrations");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task<string> ReadAllAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        return (await output) + (await error);
    }

    private static double Median(IReadOnlyList<double> values) =>
        values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    private sealed record Figures(Topology Topology, int Kills, int KilledInIndexBuild, int Processes, IReadOnlyList<double> Takeovers, TimeSpan Wall);
}
