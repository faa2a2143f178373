using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>What a test run pays once: starting the kit's local server and, at the end, stopping and deleting it.</summary>
[Config(typeof(KitConfig))]
public class ServerStartBenchmarks
{
    [Benchmark(Description = "Start + dispose the local server")]
    [SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
    public async Task<TestServerSource> StartAndDisposeLocalServer()
    {
        await using var server = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries });
        return server.Source;
    }
}
