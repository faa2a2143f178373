using System.Diagnostics;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>The per-call medians of two runs measured in alternation.</summary>
internal sealed record InterleavedResult(string Baseline, double BaselineUs, string Measured, double MeasuredUs)
{
    public double Ratio => MeasuredUs / BaselineUs;
}

/// <summary>
/// A cross-check on BenchmarkDotNet's ratios, which divide two figures measured one after the other, a minute or more
/// apart: on a machine shared with other work whose load drifts, the ratio drifts with it. Here the two runs take
/// turns — rounds of a thousand calls each, the order swapped every round — so both see the same load, and the
/// ratio of their medians holds still.
/// </summary>
internal static class InterleavedRuns
{
    private const int Rounds = 10;
    private const int CallsPerRound = 1000;
    private const int FreshRounds = 15;

    public static async Task<InterleavedResult> MeasureAsync(string baselineName, MigrationRun baseline, string measuredName, MigrationRun measured)
    {
        await WarmAsync(baseline);
        await WarmAsync(measured);
        var baselineUs = new List<double>(Rounds);
        var measuredUs = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            if (round % 2 == 0)
            {
                baselineUs.Add(await RoundAsync(baseline));
                measuredUs.Add(await RoundAsync(measured));
            }
            else
            {
                measuredUs.Add(await RoundAsync(measured));
                baselineUs.Add(await RoundAsync(baseline));
            }
        }

        return new InterleavedResult(baselineName, Median(baselineUs), measuredName, Median(measuredUs));
    }

    /// <summary>
    /// The same for calls that need a new empty database each: one call of each a round, each on a database made for
    /// it (outside the timing), the order swapped every round.
    /// </summary>
    public static async Task<InterleavedResult> MeasureFreshAsync(Durability server, string baselineName, Func<string, MigrationRun> baseline, string measuredName, Func<string, MigrationRun> measured)
    {
        var baselineUs = new List<double>(FreshRounds);
        var measuredUs = new List<double>(FreshRounds);
        for (var round = 0; round < FreshRounds; round++)
        {
            if (round % 2 == 0)
            {
                baselineUs.Add(await FreshCallAsync(server, baseline));
                measuredUs.Add(await FreshCallAsync(server, measured));
            }
            else
            {
                measuredUs.Add(await FreshCallAsync(server, measured));
                baselineUs.Add(await FreshCallAsync(server, baseline));
            }
        }

        return new InterleavedResult(baselineName, Median(baselineUs), measuredName, Median(measuredUs));
    }

    private static async Task<double> FreshCallAsync(Durability server, Func<string, MigrationRun> create)
    {
        await using var database = await BenchmarkServer.CreateEmptyDatabaseAsync(server);
        await using var run = create(database.ConnectionString);
        await run.WarmAsync();
        var started = Stopwatch.GetTimestamp();
        await run.RunAsync();
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds;
    }

    private static async Task WarmAsync(MigrationRun run)
    {
        await run.WarmAsync();
        await RoundAsync(run);
    }

    private static async Task<double> RoundAsync(MigrationRun run)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < CallsPerRound; i++)
        {
            await run.RunAsync();
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / CallsPerRound;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return (values[(values.Count - 1) / 2] + values[values.Count / 2]) / 2;
    }
}
