using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>A percentile of single tests' waits for a database (<see cref="AcquisitionSamples"/>), over the measured iterations.</summary>
public sealed class AcquisitionColumn(double percentile) : IColumn
{
    public string Id => $"{nameof(AcquisitionColumn)}.{percentile}";

    public string ColumnName => $"Wait p{percentile}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"The {percentile}th percentile of one test's wait for its database, over every test of the measured iterations";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var measured = report?.AllMeasurements.Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual).Sum(m => m.Operations) ?? 0;
        var samples = AcquisitionSamples.Last(benchmarkCase.Descriptor.WorkloadMethod.Name, (int)measured);
        if (samples.Length == 0)
        {
            return "-";
        }

        var value = samples[Math.Clamp((int)Math.Ceiling(percentile / 100 * samples.Length) - 1, 0, samples.Length - 1)];
        return value >= 1000 ? $"{value / 1000:0.00} ms" : $"{value:0} μs";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
