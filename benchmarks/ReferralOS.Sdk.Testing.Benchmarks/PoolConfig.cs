using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>
/// <see cref="KitConfig"/>'s job, with the per-test wait percentiles and the throughput in databases per second:
/// each invocation is 16 tests (or 16 clones), so an operation is one database.
/// </summary>
public sealed class PoolConfig : ManualConfig
{
    public PoolConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(2)
            .WithIterationCount(15)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
        AddColumn(new AcquisitionColumn(50), new AcquisitionColumn(99), new DatabasesPerSecondColumn());
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}
