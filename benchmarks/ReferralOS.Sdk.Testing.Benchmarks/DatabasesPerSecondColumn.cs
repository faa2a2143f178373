using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>Databases per second: one over the mean time per operation, an operation being one database.</summary>
public sealed class DatabasesPerSecondColumn : IColumn
{
    public string Id => nameof(DatabasesPerSecondColumn);

    public string ColumnName => "Databases/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 11;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Databases made (or handed out) per second: 1 / mean time per database";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        summary[benchmarkCase]?.ResultStatistics is { } statistics ? $"{1e9 / statistics.Mean:0.0}" : "-";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
