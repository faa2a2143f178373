using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>The machine a run measured on, as the report states it.</summary>
internal sealed record Machine(int Cores, string Cpu, string PostgreSql, string Runtime, string LoadBefore, string LoadAfter);

/// <summary>
/// The run's figures in one Markdown page: the up-to-date and fresh tables, the first-call table, and each goal of
/// issue 8 as a ratio from this same run, met or missed. Ratios use medians, which a busy machine disturbs least.
/// </summary>
internal static class Report
{
    /// <summary>The first-call cases the goals are read from.</summary>
    public const string ColdCall = "ReferralOS MigrateAsync (10), cold";
    public const string ColdFloor = "Floor: SELECT version, checksum as the first query, cold";
    public const string ReadyToRunCall = "ReadyToRun: ReferralOS MigrateAsync (10), cold";
    public const string ReadyToRunFloor = "ReadyToRun: floor, cold";

    public static string Write(Summary upToDate, InterleavedResult historyTurns, InterleavedResult selectOneTurns, Summary fresh, IReadOnlyList<InterleavedResult> interleavedFresh, IReadOnlyList<FirstCallResult> firstCalls, IReadOnlyList<CliStartResult> cliStarts, Machine machine)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.PostgreSql}; {machine.Runtime}."));
        text.AppendLine(Invariant($"Load average (1, 5, 15 min) before the run: {machine.LoadBefore}; after: {machine.LoadAfter}."));
        text.AppendLine();

        text.AppendLine("| Up to date | Mean | Median | × floor | Round trips | Allocated |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        var floor = Find(upToDate, nameof(UpToDateBenchmarks.Floor));
        foreach (var figure in Figures(upToDate))
        {
            text.AppendLine(Invariant($"| {figure.Description} | {Micro(figure.MeanNs)} | {Micro(figure.MedianNs)} | {Ratio(figure.MedianNs, floor?.MedianNs)} | {figure.RoundTrips} | {Bytes(figure.AllocatedBytes)} |"));
        }

        text.AppendLine();
        foreach (var pair in (InterleavedResult[])[historyTurns, selectOneTurns])
        {
            text.AppendLine(Invariant($"Cross-check, the two taking turns in rounds of 1,000 calls: {pair.Baseline} {pair.BaselineUs:0.0} µs, {pair.Measured} {pair.MeasuredUs:0.0} µs, {pair.Ratio:0.00}× the floor."));
        }

        text.AppendLine();
        text.AppendLine("| Fresh migrate (10 files) | Server | Mean | Median | × floor | Round trips | Allocated |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var figure in Figures(fresh))
        {
            var raw = Find(fresh, nameof(FreshMigrateBenchmarks.RawSql), figure.Parameters);
            text.AppendLine(Invariant($"| {figure.Description} | {figure.Parameters} | {Milli(figure.MeanNs)} | {Milli(figure.MedianNs)} | {Ratio(figure.MedianNs, raw?.MedianNs)} | {figure.RoundTrips} | {Bytes(figure.AllocatedBytes)} |"));
        }

        text.AppendLine();
        foreach (var pair in interleavedFresh)
        {
            text.AppendLine(Invariant($"Cross-check, taking turns one call at a time: {pair.Baseline} {pair.BaselineUs / 1_000:0.00} ms, {pair.Measured} {pair.MeasuredUs / 1_000:0.00} ms, {pair.Ratio:0.00}× the floor."));
        }

        text.AppendLine();
        text.AppendLine("| First call in a new process | Starts | Call median | min – max | First connection median | Whole process median |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var call in firstCalls)
        {
            text.AppendLine(Invariant($"| {call.Case} | {call.Samples.Count} | {call.MedianCallMs:0.0} ms | {call.MinCallMs:0.0} – {call.MaxCallMs:0.0} ms | {(call.MedianOpenMs > 0 ? $"{call.MedianOpenMs:0.0} ms" : "in the call")} | {call.MedianProcessMs:0} ms |"));
        }

        text.AppendLine();
        text.AppendLine("| CLI start, as a process | Starts | CLI median | psql -c 'select 1' median | × psql |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var start in cliStarts)
        {
            text.AppendLine(Invariant($"| {start.Case} | {start.Starts} | {start.CliMs:0} ms | {start.PsqlMs:0} ms | {start.Ratio:0.00} |"));
        }

        var ours = Find(upToDate, nameof(UpToDateBenchmarks.ReferralOsMigrateAsync));
        var selectOne = Find(upToDate, nameof(UpToDateBenchmarks.SelectOne));
        var efCore = Find(upToDate, nameof(UpToDateBenchmarks.EfCoreMigrateAsync));
        var evolve = Find(upToDate, nameof(UpToDateBenchmarks.EvolveMigrate));
        var thousand = Find(upToDate, nameof(UpToDateBenchmarks.ReferralOsMigrateAsync1000));
        var freshOurs = Find(fresh, nameof(FreshMigrateBenchmarks.ReferralOsMigrateAsync), nameof(Durability.FsyncOff));
        var freshRaw = Find(fresh, nameof(FreshMigrateBenchmarks.RawSql), nameof(Durability.FsyncOff));
        var durableOurs = Find(fresh, nameof(FreshMigrateBenchmarks.ReferralOsMigrateAsync), nameof(Durability.FsyncOn));
        var durableRaw = Find(fresh, nameof(FreshMigrateBenchmarks.RawSql), nameof(Durability.FsyncOn));
        var cold = FindCall(firstCalls, ColdCall);
        var coldFloor = FindCall(firstCalls, ColdFloor);
        var readyToRun = FindCall(firstCalls, ReadyToRunCall);
        text.AppendLine();
        text.AppendLine("| Goal | Target | Measured | Met |");
        text.AppendLine("|---|---|---:|---|");
        Goal(text, "Up to date vs the 10-row history read", "≤ 1.2×", Over(ours, floor), r => r <= 1.2);
        Goal(text, "Up to date vs a bare SELECT 1", "≤ 1.6×", Over(ours, selectOne), r => r <= 1.6);
        Goal(text, "Up to date vs the 10-row history read, taking turns", "≤ 1.2×", historyTurns.Ratio, r => r <= 1.2);
        Goal(text, "Up to date vs a bare SELECT 1, taking turns", "≤ 1.6×", selectOneTurns.Ratio, r => r <= 1.6);

        Goal(text, "Up to date: faster than EF Core by", "≥ 8×", Over(efCore, ours), r => r >= 8);
        Goal(text, "Up to date: faster than Evolve by", "≥ 25×", Over(evolve, ours), r => r >= 25);
        Goal(text, "Up to date: round trips", "≤ 2", ours?.RoundTrips, r => r <= 2, "0");
        Goal(text, "1,000 migrations vs 10, up to date", "≤ 3×", Over(thousand, ours), r => r <= 3);
        Goal(text, "Fresh migrate vs the raw floor (fsync off)", "≤ 1.1×", Over(freshOurs, freshRaw), r => r <= 1.1);
        Goal(text, "Fresh migrate vs the raw floor (fsync on)", "≤ 1.1×", Over(durableOurs, durableRaw), r => r <= 1.1);
        foreach (var pair in interleavedFresh)
        {
            Goal(text, $"Fresh migrate vs the raw floor, taking turns: {pair.Measured}", "≤ 1.1×", pair.Ratio, r => r <= 1.1);
        }

        Goal(text, "First call: MigrateAsync vs the process's first raw query", "≤ 1.3×", cold?.MedianCallMs / coldFloor?.MedianCallMs, r => r <= 1.3);
        var readyToRunFloor = FindCall(firstCalls, ReadyToRunFloor);
        Goal(text, "First call, ReadyToRun: MigrateAsync vs the first raw query", "≤ 1.3×", readyToRun?.MedianCallMs / readyToRunFloor?.MedianCallMs, r => r <= 1.3);
        return text.ToString();
    }

    private static void Goal(StringBuilder text, string goal, string target, double? measured, Func<double, bool> met, string format = "0.00'×'")
    {
        var value = measured is { } m ? m.ToString(format, CultureInfo.InvariantCulture) : "not run";
        var verdict = measured is { } v ? (met(v) ? "yes" : "**no**") : "–";
        text.AppendLine(Invariant($"| {goal} | {target} | {value} | {verdict} |"));
    }

    private static FirstCallResult? FindCall(IReadOnlyList<FirstCallResult> calls, string name) =>
        calls.FirstOrDefault(c => c.Case == name);

    private static double? Over(Figure? numerator, Figure? denominator) =>
        numerator is null || denominator is null ? null : numerator.MedianNs / denominator.MedianNs;

    private static Figure? Find(Summary summary, string method, string parameters = "") =>
        Figures(summary).FirstOrDefault(f => f.Method == method && f.Parameters == parameters);

    private static IEnumerable<Figure> Figures(Summary summary) =>
        summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .Select(r => new Figure(
                r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                string.Join(", ", r.BenchmarkCase.Parameters.Items.Select(p => p.Value?.ToString())),
                r.ResultStatistics!.Mean,
                r.ResultStatistics.Median,
                r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
                RoundTrips.Get(r.BenchmarkCase)));

    private static string Ratio(double value, double? baseline) => baseline is { } b ? Invariant($"{value / b:0.00}") : "–";

    private static string Micro(double ns) => Invariant($"{ns / 1_000:0.0} µs");

    private static string Milli(double ns) => Invariant($"{ns / 1_000_000:0.00} ms");

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 10_000 => Invariant($"{bytes} B"),
        _ => Invariant($"{bytes / 1024.0:0.0} KB"),
    };

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Figure(string Method, string Description, string Parameters, double MeanNs, double MedianNs, long? AllocatedBytes, int? RoundTrips);
}
