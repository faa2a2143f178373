using BenchmarkDotNet.Attributes;
using Npgsql;
using ReferralOS.Schema;
using Respawn;
using Respawn.Graph;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>
/// What it costs to hand one test a fresh migrated and seeded database, on the kit's own local server. Every
/// operation ends the way a test starts — a query on a new connection that reads a seed row — and, where the test
/// would drop its database afterwards, includes the drop.
/// </summary>
[Config(typeof(KitConfig))]
public class FreshDatabaseBenchmarks
{
    private TestPostgresServer _server = null!;
    private NpgsqlDataSource _admin = null!;
    private string _template = null!;
    private TestDatabase _shared = null!;
    private Respawner _respawner = null!;
    private int _count;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _server = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries });
        _admin = NpgsqlDataSource.Create(_server.ConnectionString);

        // Build the templates outside the measurement: a run pays for them once.
        await using (var first = await _server.CreateDatabaseAsync(ReferralOsSchema.Catalog))
        {
            _template = first.Template!;
        }

        _shared = await _server.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        await using var connection = await _shared.DataSource.OpenConnectionAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table("schema_migrations")],
        });
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _shared.DisposeAsync();
        await _admin.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Migrate + seed a new empty database")]
    public async Task<string?> MigrateFromScratch()
    {
        await using var database = await _server.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await ReferralOsSchema.MigrateAsync(database.DataSource);
        await ReferralOsSchema.SeedAsync(database.DataSource, DatabaseEnvironment.Test);
        return await ReadSeedRowAsync(database.DataSource);
    }

    [Benchmark(Description = "Kit: CreateDatabaseAsync + dispose")]
    public async Task<string?> Kit()
    {
        await using var database = await _server.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        return await ReadSeedRowAsync(database.DataSource);
    }

    [Benchmark(Description = "CREATE + DROP DATABASE, STRATEGY WAL_LOG")]
    public Task CloneWalLog() => CloneAndDropAsync("WAL_LOG");

    [Benchmark(Description = "CREATE + DROP DATABASE, STRATEGY FILE_COPY")]
    public Task CloneFileCopy() => CloneAndDropAsync("FILE_COPY");

    [Benchmark(Description = "Respawn reset + re-seed a shared database")]
    public async Task<string?> Respawn()
    {
        await using (var connection = await _shared.DataSource.OpenConnectionAsync())
        {
            await SetReplicationRoleAsync(connection, "replica");
            await _respawner.ResetAsync(connection);
            await SetReplicationRoleAsync(connection, "origin");
        }

        await ReferralOsSchema.SeedAsync(_shared.DataSource, DatabaseEnvironment.Test);
        return await ReadSeedRowAsync(_shared.DataSource);
    }

    /// <summary>
    /// Respawn empties tables with TRUNCATE, which the rewards ledger's append-only trigger refuses; replica mode
    /// (superuser only) turns triggers off for the session so the reset can run at all.
    /// </summary>
    private static async Task SetReplicationRoleAsync(NpgsqlConnection connection, string role)
    {
        await using var command = new NpgsqlCommand($"SET session_replication_role = {role}", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The clone alone, no connection to it: the two strategies side by side, nothing else measured.</summary>
    private async Task CloneAndDropAsync(string strategy)
    {
        var name = "bench_clone_" + Interlocked.Increment(ref _count);
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {name} TEMPLATE {_template} STRATEGY {strategy}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var drop = _admin.CreateCommand($"DROP DATABASE {name}");
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ReadSeedRowAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT name FROM users WHERE id = $1");
        command.Parameters.AddWithValue(Seeds.TestReferrer.Id);
        return (string?)await command.ExecuteScalarAsync();
    }
}
