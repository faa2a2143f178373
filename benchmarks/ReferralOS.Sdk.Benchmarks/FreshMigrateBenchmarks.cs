using BenchmarkDotNet.Attributes;
using ReferralOS.Schema;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// Migrating an empty database with the ten files: ReferralOS (lock, history table, timeouts, validation, one
/// transaction per file with its history row) against the floor of sending the same SQL with plain Npgsql. Every
/// call gets a new empty database and a pool whose first connection is already open; both are made between
/// iterations, outside the measurement. On the kit's fsync-off server DDL is as cheap as it gets, so the history
/// table weighs most there; on a durable server every commit waits for the disk, for both.
/// </summary>
[Config(typeof(FreshMigrateConfig))]
public class FreshMigrateBenchmarks
{
    private Func<string, MigrationRun> _create = null!;
    private EmptyDatabase? _database;
    private MigrationRun? _run;

    [Params(Durability.FsyncOff, Durability.FsyncOn)]
    public Durability Server { get; set; }

    [GlobalSetup(Target = nameof(RawSql))]
    public Task SetUpRawSqlAsync() => SetUpAsync(nameof(RawSql), cs => new RawSqlFloor(ReferralOsSchema.Catalog, cs));

    [GlobalSetup(Target = nameof(ReferralOsMigrateAsync))]
    public Task SetUpReferralOsAsync() => SetUpAsync(nameof(ReferralOsMigrateAsync), cs => new ReferralOsRun(ReferralOsSchema.Catalog, ReferralOsSchema.Migrations.Count, cs));

    [IterationSetup]
    public void CreateEmptyDatabase() => CreateEmptyDatabaseAsync().GetAwaiter().GetResult();

    [IterationCleanup]
    public void DropDatabase() => DropDatabaseAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Floor: the same SQL with plain Npgsql, one transaction a file")]
    public Task RawSql() => _run!.RunAsync();

    [Benchmark(Description = "ReferralOS MigrateAsync on an empty database")]
    public Task ReferralOsMigrateAsync() => _run!.RunAsync();

    private async Task SetUpAsync(string benchmark, Func<string, MigrationRun> create)
    {
        _create = create;
        await using var database = await BenchmarkServer.CreateEmptyDatabaseAsync(Server);
        await RoundTrips.CountFirstAsync<FreshMigrateBenchmarks>(benchmark, database.ConnectionString, create);
    }

    private async Task CreateEmptyDatabaseAsync()
    {
        _database = await BenchmarkServer.CreateEmptyDatabaseAsync(Server);
        _run = _create(_database.ConnectionString);
        await _run.WarmAsync();
    }

    private async Task DropDatabaseAsync()
    {
        await _run!.DisposeAsync();
        await _database!.DisposeAsync();
    }
}
