using ReferralOS.Sdk.Testing;

namespace ReferralOS.Sdk.Benchmarks.Fleet;

/// <summary>The one server of a run: the testing kit's throwaway cluster from the machine's binaries, on loopback, removed at the end.</summary>
internal static class FleetServer
{
    private static readonly Lazy<Task<TestPostgresServer>> Server = new(
        () => TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries }));

    public static Task<TestPostgresServer> GetAsync() => Server.Value;

    public static async Task StopAsync()
    {
        if (Server.IsValueCreated)
        {
            await (await Server.Value).DisposeAsync();
        }
    }
}
