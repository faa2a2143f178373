using ReferralOS.Sdk.Testing;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// The one PostgreSQL every benchmark of a run talks to: a throwaway cluster the testing kit starts from the
/// machine's PostgreSQL binaries on loopback (data on the RAM disk when there is one, fsync off), stopped and
/// deleted at the end of the run — or by the kit's watchdog if the run is killed. Never a server named by
/// REFERRALOS_TEST_DATABASE: every figure comes from the same kind of server.
/// </summary>
internal static class BenchmarkServer
{
    private static readonly Lazy<Task<TestPostgresServer>> Server = new(
        () => TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries }));

    public static Task<TestPostgresServer> GetAsync() => Server.Value;

    /// <summary>A new database, migrated by ReferralOS from a template when a catalogue is given, else empty.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, bool migrated)
    {
        var server = await GetAsync();
        return await server.CreateDatabaseAsync(catalog, migrated ? TestDatabaseOptions.SchemaOnly : TestDatabaseOptions.Empty);
    }

    public static async Task StopAsync()
    {
        if (Server.IsValueCreated)
        {
            await (await Server.Value).DisposeAsync();
        }
    }
}
