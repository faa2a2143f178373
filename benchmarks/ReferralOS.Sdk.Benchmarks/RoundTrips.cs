using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ReferralOS.Sdk.Tests;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// Round trips per call, counted — not timed — by the runtime tests' wire-protocol proxy
/// (<see cref="RoundTripCounter"/>: each Sync or simple Query the client waits on is one), once per benchmark in its
/// setup, on a second instance of the same run pointed at the proxy. Keyed by benchmark class and method.
/// </summary>
internal static class RoundTrips
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    /// <summary>Counts a warm call: the pool's first connection, and EF Core's model, are paid by a call before it.</summary>
    public static Task CountWarmAsync<TBenchmarks>(string method, string connectionString, Func<string, MigrationRun> create) =>
        CountAsync(Key(typeof(TBenchmarks), method), connectionString, create, callsBefore: 1);

    /// <summary>Counts the first call on an opened pool: for runs that change the database, such as a fresh migrate.</summary>
    public static Task CountFirstAsync<TBenchmarks>(string method, string connectionString, Func<string, MigrationRun> create) =>
        CountAsync(Key(typeof(TBenchmarks), method), connectionString, create, callsBefore: 0);

    public static int? Get(BenchmarkCase benchmark) =>
        Counts.TryGetValue(Key(benchmark.Descriptor.Type, benchmark.Descriptor.WorkloadMethod.Name), out var count) ? count : null;

    private static string Key(Type benchmarks, string method) => benchmarks.Name + "." + method;

    private static async Task CountAsync(string benchmark, string connectionString, Func<string, MigrationRun> create, int callsBefore)
    {
        await using var counter = new RoundTripCounter(connectionString);
        await using var run = create(counter.ConnectionString);
        await run.WarmAsync();
        for (var i = 0; i < callsBefore; i++)
        {
            await run.RunAsync();
        }

        counter.Reset();
        await run.RunAsync();
        Counts[benchmark] = counter.RoundTrips;
    }
}

/// <summary>The <see cref="RoundTrips"/> count of each benchmark, as a column of the summary table.</summary>
public sealed class RoundTripColumn : IColumn
{
    public string Id => nameof(RoundTripColumn);

    public string ColumnName => "Round trips";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Round trips to PostgreSQL per call, counted by a wire-protocol proxy";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        RoundTrips.Get(benchmarkCase) is { } count ? count.ToString(CultureInfo.InvariantCulture) : "?";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
