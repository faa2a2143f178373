using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;

namespace ReferralOS.Sdk.Benchmarks.Fleet;

/// <summary>
/// The wall time of <see cref="SchemaMigrator.MigrateManyAsync"/> (every database empty: the ten migrations of the
/// ReferralOS schema each) and of <see cref="SchemaMigrator.StatusManyAsync"/> (every database up to date) over
/// <see cref="Databases"/> databases of one server, at parallelism 1 (the baseline of each category), 4 and 16. Targets
/// are connection strings, as the CLI's <c>--targets</c> gives them: each opens its own connection, so the figures
/// include connecting; the floor beside the status rows is that connecting and one <c>SELECT 1</c> alone. The databases a migrate needs are made before each iteration and dropped after it, outside
/// the measurement.
/// </summary>
[Config(typeof(FleetConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FleetBenchmarks
{
    /// <summary>How many databases each fleet has.</summary>
    public const int Databases = 50;

    private TestDatabase[] _fresh = [];
    private TestDatabase[] _migrated = [];
    private FleetTarget[] _freshTargets = [];
    private FleetTarget[] _migratedTargets = [];

    [GlobalSetup(Targets = [nameof(StatusParallel1), nameof(StatusParallel4), nameof(StatusParallel16), nameof(ConnectFloorParallel1), nameof(ConnectFloorParallel16)])]
    public async Task MigratedFleet()
    {
        _migrated = await CreateAsync();
        _migratedTargets = Targets(_migrated);
        var migrated = await SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, _migratedTargets, new FleetOptions { MaxParallelism = 4 });
        if (migrated.Any(r => r.Outcome == FleetOutcome.Failed))
        {
            throw new InvalidOperationException("The status fleet could not be migrated: " + migrated.First(r => r.Error is not null).Error!.Message);
        }
    }

    [GlobalCleanup(Targets = [nameof(StatusParallel1), nameof(StatusParallel4), nameof(StatusParallel16), nameof(ConnectFloorParallel1), nameof(ConnectFloorParallel16)])]
    public Task DropMigratedFleet() => DropAsync(_migrated);

    [IterationSetup(Targets = [nameof(MigrateParallel1), nameof(MigrateParallel4), nameof(MigrateParallel16)])]
    public void FreshFleet()
    {
        _fresh = CreateAsync().GetAwaiter().GetResult();
        _freshTargets = Targets(_fresh);
    }

    [IterationCleanup(Targets = [nameof(MigrateParallel1), nameof(MigrateParallel4), nameof(MigrateParallel16)])]
    public void DropFreshFleet() => DropAsync(_fresh).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Fleet migrate, --parallel 1")]
    [BenchmarkCategory("Migrate")]
    public Task MigrateParallel1() => MigrateAsync(1);

    [Benchmark(Description = "Fleet migrate, --parallel 4")]
    [BenchmarkCategory("Migrate")]
    public Task MigrateParallel4() => MigrateAsync(4);

    [Benchmark(Description = "Fleet migrate, --parallel 16")]
    [BenchmarkCategory("Migrate")]
    public Task MigrateParallel16() => MigrateAsync(16);

    [Benchmark(Baseline = true, Description = "Fleet status, --parallel 1")]
    [BenchmarkCategory("Status")]
    public Task StatusParallel1() => StatusAsync(1);

    [Benchmark(Description = "Fleet status, --parallel 4")]
    [BenchmarkCategory("Status")]
    public Task StatusParallel4() => StatusAsync(4);

    [Benchmark(Description = "Fleet status, --parallel 16")]
    [BenchmarkCategory("Status")]
    public Task StatusParallel16() => StatusAsync(16);

    [Benchmark(Description = "Floor: connect and SELECT 1 on each, --parallel 1")]
    [BenchmarkCategory("Status")]
    public Task ConnectFloorParallel1() => ConnectFloorAsync(1);

    [Benchmark(Description = "Floor: connect and SELECT 1 on each, --parallel 16")]
    [BenchmarkCategory("Status")]
    public Task ConnectFloorParallel16() => ConnectFloorAsync(16);

    private static FleetTarget[] Targets(TestDatabase[] databases) => databases.Select(d => new FleetTarget(d.Name, d.ConnectionString)).ToArray();

    private static async Task<TestDatabase[]> CreateAsync()
    {
        var server = await FleetServer.GetAsync();
        var databases = new TestDatabase[Databases];
        await Parallel.ForEachAsync(Enumerable.Range(0, Databases), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            databases[i] = await server.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, ct));
        return databases;
    }

    private static async Task DropAsync(TestDatabase[] databases)
    {
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }
    }

    private async Task MigrateAsync(int parallel)
    {
        var results = await SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, _freshTargets, new FleetOptions { MaxParallelism = parallel });
        Check(results.Count(r => r.Outcome == FleetOutcome.Applied));
    }

    private async Task StatusAsync(int parallel)
    {
        var results = await SchemaMigrator.StatusManyAsync(ReferralOsSchema.Catalog, _migratedTargets, new FleetOptions { MaxParallelism = parallel });
        Check(results.Count(r => r.Status?.IsUpToDate == true));
    }

    /// <summary>What any fleet read pays before its first query: a data source per database, a new backend, Npgsql's start-up; then one trivial round trip.</summary>
    private async Task ConnectFloorAsync(int parallel)
    {
        var succeeded = 0;
        await Parallel.ForEachAsync(_migratedTargets, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (target, ct) =>
        {
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(target.ConnectionString!);
            await using var command = dataSource.CreateCommand("SELECT 1");
            if (await command.ExecuteScalarAsync(ct) is 1)
            {
                Interlocked.Increment(ref succeeded);
            }
        });
        Check(succeeded);
    }

    private static void Check(int succeeded)
    {
        if (succeeded != Databases)
        {
            throw new InvalidOperationException($"Only {succeeded} of {Databases} databases succeeded: the figure would not be a fleet's.");
        }
    }
}

/// <summary>
/// In process (the work is on the server; the shared server lives in this process), one launch, one warm-up and five
/// measured iterations of one call each: a short job for a shared two-core machine, where each migrate iteration first
/// makes 50 databases.
/// </summary>
public sealed class FleetConfig : ManualConfig
{
    public FleetConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Fleet"));
        AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median);
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(BenchmarkDotNet.Columns.RatioStyle.Trend);
    }
}
