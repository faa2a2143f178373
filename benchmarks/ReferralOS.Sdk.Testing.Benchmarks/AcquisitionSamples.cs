using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>
/// Every single test's wait for its database, per benchmark, in microseconds: BenchmarkDotNet's own statistics are of
/// whole invocations (16 tests at once), while the goal is about each test's wait. The benchmarks run in process, so
/// the columns read these after the run.
/// </summary>
internal static class AcquisitionSamples
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<double>> Samples = new(StringComparer.Ordinal);

    /// <summary>Times one acquisition and records it under the benchmark's method name.</summary>
    public static async Task<T> TimeAsync<T>(string benchmark, Func<Task<T>> acquire)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await acquire().ConfigureAwait(false);
        Samples.GetOrAdd(benchmark, _ => new ConcurrentQueue<double>()).Enqueue(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        return result;
    }

    /// <summary>The last <paramref name="count"/> samples of a benchmark (those of its measured iterations), sorted.</summary>
    public static double[] Last(string benchmark, int count) =>
        Samples.TryGetValue(benchmark, out var samples) ? samples.TakeLast(count).Order().ToArray() : [];
}
