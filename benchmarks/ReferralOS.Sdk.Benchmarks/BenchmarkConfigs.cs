using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// In process (the work is on the server; a generated host project would buy nothing, and the shared server and the
/// round-trip counts live in this process), one launch, 3 warm-up and 20 measured iterations of about half a second:
/// medians that hold still on a shared two-core machine, in a run of a few minutes. Allocations from the MemoryDiagnoser; round trips from <see cref="RoundTrips"/>.
/// </summary>
public sealed class UpToDateConfig : ManualConfig
{
    public UpToDateConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(20)
            .WithId("UpToDate"));
        Shared(this);
    }

    internal static void Shared(ManualConfig config)
    {
        config.AddDiagnoser(MemoryDiagnoser.Default);
        config.AddColumn(StatisticColumn.Median, new RoundTripColumn());
        config.SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}

/// <summary>
/// As <see cref="UpToDateConfig"/>, but one call per iteration, 5 warm-up and 30 measured: each call needs an empty
/// database, made (and dropped) between iterations, outside the measurement, and a call that waits for the disk
/// varies more.
/// </summary>
public sealed class FreshMigrateConfig : ManualConfig
{
    public FreshMigrateConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(30)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Fresh"));
        UpToDateConfig.Shared(this);
    }
}
