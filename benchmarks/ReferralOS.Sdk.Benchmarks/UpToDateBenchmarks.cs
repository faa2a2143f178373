using BenchmarkDotNet.Attributes;
using ReferralOS.Schema;
using ReferralOS.Sdk.Benchmarks.EfCore;
using ReferralOS.Sdk.Benchmarks.Evolve;
using ReferralOS.Sdk.Benchmarks.LargeSchema;
using ReferralOS.Sdk.Testing;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// What every application instance pays on every start: migrating a database that is already up to date. Each
/// benchmark has a database of its own, brought up to date in its setup by the tool it measures; the floor reads the
/// history that ReferralOS keeps. The thousand-migration pair uses a catalog of 1,000 generated files compiled by
/// the real generator (benchmarks/ReferralOS.Sdk.Benchmarks.LargeSchema).
/// </summary>
[Config(typeof(UpToDateConfig))]
public class UpToDateBenchmarks
{
    /// <summary>A production run also reads the production marker, to add it the first time.</summary>
    private static readonly MigrationOptions Production = new() { Environment = DatabaseEnvironment.Production };

    private TestDatabase? _database;
    private MigrationRun? _run;
    private EvolveScripts? _scripts;

    [GlobalSetup(Target = nameof(Floor))]
    public Task SetUpFloorAsync() =>
        SetUpAsync(nameof(Floor), ReferralOsSchema.Catalog, migrated: true, cs => new HistoryFloor(cs, ReferralOsSchema.Migrations.Count));

    [GlobalSetup(Target = nameof(SelectOne))]
    public Task SetUpSelectOneAsync() =>
        SetUpAsync(nameof(SelectOne), ReferralOsSchema.Catalog, migrated: true, cs => new SelectOneFloor(cs));

    [GlobalSetup(Target = nameof(ReferralOsMigrateAsync))]
    public Task SetUpReferralOsAsync() =>
        SetUpAsync(nameof(ReferralOsMigrateAsync), ReferralOsSchema.Catalog, migrated: true, cs => new ReferralOsRun(ReferralOsSchema.Catalog, ReferralOsSchema.Migrations.Count, cs));

    [GlobalSetup(Target = nameof(ReferralOsMigrateAsyncProduction))]
    public Task SetUpReferralOsProductionAsync() =>
        SetUpAsync(nameof(ReferralOsMigrateAsyncProduction), ReferralOsSchema.Catalog, migrated: true, cs => new ReferralOsRun(ReferralOsSchema.Catalog, ReferralOsSchema.Migrations.Count, cs, Production));

    [GlobalSetup(Target = nameof(EfCoreMigrateAsync))]
    public Task SetUpEfCoreAsync() =>
        SetUpAsync(nameof(EfCoreMigrateAsync), ReferralOsSchema.Catalog, migrated: false, cs => new EfCoreRun(cs));

    [GlobalSetup(Target = nameof(EvolveMigrate))]
    public Task SetUpEvolveAsync()
    {
        var scripts = _scripts = EvolveScripts.Write();
        return SetUpAsync(nameof(EvolveMigrate), ReferralOsSchema.Catalog, migrated: false, cs => new EvolveRun(cs, scripts.Directory));
    }

    [GlobalSetup(Target = nameof(Floor1000))]
    public Task SetUpFloor1000Async() =>
        SetUpAsync(nameof(Floor1000), ManyMigrations.Catalog, migrated: true, cs => new HistoryFloor(cs, ManyMigrations.Migrations.Count));

    [GlobalSetup(Target = nameof(ReferralOsMigrateAsync1000))]
    public Task SetUpReferralOs1000Async() =>
        SetUpAsync(nameof(ReferralOsMigrateAsync1000), ManyMigrations.Catalog, migrated: true, cs => new ReferralOsRun(ManyMigrations.Catalog, ManyMigrations.Migrations.Count, cs));

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _scripts?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor: SELECT version, checksum (10 rows)")]
    public Task Floor() => _run!.RunAsync();

    [Benchmark(Description = "Floor: SELECT 1")]
    public Task SelectOne() => _run!.RunAsync();

    [Benchmark(Description = "ReferralOS MigrateAsync (10)")]
    public Task ReferralOsMigrateAsync() => _run!.RunAsync();

    [Benchmark(Description = "ReferralOS MigrateAsync (10), Environment = Production")]
    public Task ReferralOsMigrateAsyncProduction() => _run!.RunAsync();

    [Benchmark(Description = "EF Core 10 MigrateAsync (10)")]
    public Task EfCoreMigrateAsync() => _run!.RunAsync();

    [Benchmark(Description = "Evolve 3.2 Migrate (10 files as 19)")]
    public Task EvolveMigrate() => _run!.RunAsync();

    [Benchmark(Description = "Floor: SELECT version, checksum (1,000 rows)")]
    public Task Floor1000() => _run!.RunAsync();

    [Benchmark(Description = "ReferralOS MigrateAsync (1,000)")]
    public Task ReferralOsMigrateAsync1000() => _run!.RunAsync();

    /// <summary>
    /// A database of the benchmark's own; the tools that keep their own history (EF Core, Evolve) migrate an empty one
    /// in their first call. Then the round trips of one warm call are counted through the proxy.
    /// </summary>
    private async Task SetUpAsync(string benchmark, MigrationCatalog catalog, bool migrated, Func<string, MigrationRun> create)
    {
        _database = await BenchmarkServer.CreateDatabaseAsync(catalog, migrated);
        _run = create(_database.ConnectionString);
        await _run.RunAsync();
        await RoundTrips.CountWarmAsync<UpToDateBenchmarks>(benchmark, _database.ConnectionString, create);
    }
}
