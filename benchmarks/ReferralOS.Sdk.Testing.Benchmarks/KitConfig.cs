using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>
/// In process (the benchmarks drive a PostgreSQL server, so a generated host project buys nothing), one operation per
/// invocation: each operation hands out and drops a whole database, far above timer resolution.
/// </summary>
public sealed class KitConfig : ManualConfig
{
    public KitConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithUnrollFactor(1));
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}
