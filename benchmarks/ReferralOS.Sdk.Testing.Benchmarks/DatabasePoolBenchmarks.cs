using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Npgsql;
using ReferralOS.Schema;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>
/// The pool of spare clones on the kit's own local server, against the plain clone it replaces, in the same run:
/// <list type="bullet">
/// <item>Wait: 16 tests ask for a seeded database at the same moment; each one's wait is recorded (the Wait p50 and
/// p99 columns). The pool holds 16 spares and is full when the tests start, as when a run's tests start or its tests
/// take longer than the refill; the baseline is 16 plain <c>CREATE DATABASE … TEMPLATE</c> at once.</item>
/// <item>Refill: the pool's 16 spares are taken (and their databases dropped, in the background, as tests' are, at the
/// same time as the refill), and the operation ends when the pool holds 16 spares again; the baseline is 16 plain
/// clones one after another.</item>
/// </list>
/// </summary>
[Config(typeof(PoolConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DatabasePoolBenchmarks
{
    private const int Tests = 16;
    private const string Wait = "Wait";
    private const string Refill = "Refill";

    private readonly List<string> _taken = [];
    private readonly List<string> _plain = [];
    private TestPostgresServer _server = null!;
    private NpgsqlDataSource _admin = null!;
    private string _template = null!;
    private string _runPrefix = null!;
    private int _count;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _server = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries, DatabasePoolSize = Tests });
        _admin = NpgsqlDataSource.Create(_server.ConnectionString);

        // Build the templates and start the pool outside the measurement: a run pays for them once.
        await using var first = await _server.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        _template = first.Template!;
        _runPrefix = first.Name[..(first.Name.LastIndexOf('_') + 1)];
        _taken.Add(first.Name);
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await SettleAsync();
        await _admin.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Before each iteration: the baseline's clones dropped, the pool full and the taken databases gone.</summary>
    [IterationSetup]
    public void Settle() => SettleAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Tests, Description = "16 tests at once: plain CREATE DATABASE … TEMPLATE each")]
    [BenchmarkCategory(Wait)]
    public Task PlainClones() =>
        Task.WhenAll(Enumerable.Range(0, Tests).Select(_ => Task.Run(() => AcquisitionSamples.TimeAsync(nameof(PlainClones), CloneAsync))));

    [Benchmark(OperationsPerInvoke = Tests, Description = "16 tests at once: CreateDatabaseAsync from the pool")]
    [BenchmarkCategory(Wait)]
    public Task Pool() =>
        Task.WhenAll(Enumerable.Range(0, Tests).Select(_ => Task.Run(async () =>
        {
            await using var database = await AcquisitionSamples.TimeAsync(nameof(Pool), () => _server.CreateDatabaseAsync(ReferralOsSchema.Catalog));
            lock (_taken)
            {
                _taken.Add(database.Name);
            }
        })));

    [Benchmark(Baseline = true, OperationsPerInvoke = Tests, Description = "16 plain clones, one after another")]
    [BenchmarkCategory(Refill)]
    public async Task PlainClonesInARow()
    {
        for (var i = 0; i < Tests; i++)
        {
            await CloneAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Tests, Description = "Refill: take 16 spares, until the pool holds 16 again")]
    [BenchmarkCategory(Refill)]
    public async Task RefillPool()
    {
        await Pool();
        await WaitForSparesAsync();
    }

    private async Task<string> CloneAsync()
    {
        var name = "bench_plain_" + Interlocked.Increment(ref _count);
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {name} TEMPLATE {_template} STRATEGY FILE_COPY"))
        {
            await create.ExecuteNonQueryAsync();
        }

        lock (_plain)
        {
            _plain.Add(name);
        }

        return name;
    }

    private async Task SettleAsync()
    {
        foreach (var name in _plain)
        {
            await using var drop = _admin.CreateCommand($"DROP DATABASE {name}");
            await drop.ExecuteNonQueryAsync();
        }

        _plain.Clear();

        await WaitForSparesAsync(takenDropped: true);
        _taken.Clear();
    }

    /// <summary>
    /// Until the pool holds all its spares again (each exists only once its clone is done), and, when asked, the taken
    /// databases are dropped too.
    /// </summary>
    private async Task WaitForSparesAsync(bool takenDropped = false)
    {
        await using var run = _admin.CreateCommand("SELECT count(*) FILTER (WHERE datname = ANY($2)), count(*) FILTER (WHERE datname <> ALL($2)) FROM pg_database WHERE starts_with(datname, $1)");
        run.Parameters.Add(new() { Value = _runPrefix });
        run.Parameters.Add(new() { Value = _taken.ToArray() });
        while (true)
        {
            await using var reader = await run.ExecuteReaderAsync();
            await reader.ReadAsync();
            if ((!takenDropped || reader.GetInt64(0) == 0) && reader.GetInt64(1) == Tests)
            {
                return;
            }

            await Task.Delay(1);
        }
    }
}
