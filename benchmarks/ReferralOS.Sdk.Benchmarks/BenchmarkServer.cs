using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Local;
using ReferralOS.Sdk.Testing;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>How the server keeps data: as the testing kit runs it, or as a production server does.</summary>
public enum Durability
{
    /// <summary>The testing kit's throwaway cluster: data on the RAM disk when there is one, fsync and synchronous commit off.</summary>
    FsyncOff,

    /// <summary>PostgreSQL's defaults: every commit waits for the disk, data in the temporary folder.</summary>
    FsyncOn,
}

/// <summary>
/// The PostgreSQL servers a run talks to, both started from the machine's PostgreSQL binaries on loopback and removed
/// at the end of the run (or, if the run is killed, stopped by the watchdog the runtime's local server leaves
/// behind): the testing kit's throwaway cluster for everything, and — only for the fresh-migrate suite — a cluster
/// with PostgreSQL's durable defaults. Never a server named by REFERRALOS_TEST_DATABASE: every figure comes from
/// servers of the same kind.
/// </summary>
internal static class BenchmarkServer
{
    private static readonly Lazy<Task<TestPostgresServer>> Kit = new(
        () => TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries }));

    private static readonly Lazy<Task<LocalPostgresServer>> Durable = new(
        () => LocalPostgresServer.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "referralos-bench-durable-" + Guid.NewGuid().ToString("N")[..12]),
            StopWhenProcessExits = true,
        }));

    private static int _databases;

    public static Task<TestPostgresServer> GetAsync() => Kit.Value;

    /// <summary>A new database, migrated by ReferralOS from a template when asked, else empty.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, bool migrated)
    {
        var server = await GetAsync();
        return await server.CreateDatabaseAsync(catalog, migrated ? TestDatabaseOptions.SchemaOnly : TestDatabaseOptions.Empty);
    }

    /// <summary>A new empty database on the server of that durability; disposing it drops it.</summary>
    public static async Task<EmptyDatabase> CreateEmptyDatabaseAsync(Durability durability)
    {
        if (durability == Durability.FsyncOff)
        {
            var database = await CreateDatabaseAsync(ReferralOsSchema.Catalog, migrated: false);
            return new EmptyDatabase(database.ConnectionString, database.DisposeAsync);
        }

        var server = await Durable.Value;
        var name = "bench_" + Interlocked.Increment(ref _databases);
        await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
        await using (var create = admin.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new EmptyDatabase(server.ConnectionStringFor(name), async () =>
        {
            await using var dropping = NpgsqlDataSource.Create(server.ConnectionString);
            await using var drop = dropping.CreateCommand($"DROP DATABASE {name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        });
    }

    public static async Task StopAsync()
    {
        if (Kit.IsValueCreated)
        {
            await (await Kit.Value).DisposeAsync();
        }

        if (Durable.IsValueCreated)
        {
            await LocalPostgresServer.DestroyAsync((await Durable.Value).DataDirectory);
        }
    }
}

/// <summary>An empty database for one call that changes it; disposing it drops it.</summary>
internal sealed class EmptyDatabase(string connectionString, Func<ValueTask> drop) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync() => drop();
}
