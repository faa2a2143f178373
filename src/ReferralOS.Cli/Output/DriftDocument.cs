using System.Text.Json.Serialization;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// What <c>drift --json</c> writes: a stable shape for scripts. Add fields freely; never rename or remove one.
/// </summary>
internal sealed record DriftDocument(string Database, bool Drift, IReadOnlyList<string> Compared, IReadOnlyList<DriftDocument.Difference> Differences)
{
    public static DriftDocument From(string database, DriftReport report) => new(
        database,
        report.HasDrift,
        report.Compared,
        report.Differences.Select(d => new Difference(d.Kind.ToString().ToLowerInvariant(), d.Name, d.Type.ToString().ToLowerInvariant(), d.Expected, d.Actual)).ToArray());

    /// <summary>One object: its kind (<c>table</c>, <c>column</c>, …), name, <c>missing</c>/<c>unexpected</c>/<c>changed</c>, and both definitions (null on the side that lacks it).</summary>
    internal sealed record Difference(string Kind, string Name, string Type, string? Expected, string? Actual);
}

/// <summary>What <c>drift --targets --json</c> writes: one entry per database, in the order of <c>--targets</c>, with its differences or its error.</summary>
internal sealed record DriftFleetDocument(int Parallel, double Seconds, int Databases, int Drifted, int Failed, IReadOnlyList<DriftFleetDocument.Target> Targets)
{
    public static DriftFleetDocument From(IReadOnlyList<FleetDriftResult> results, int parallel, TimeSpan duration) => new(
        parallel,
        Math.Round(duration.TotalSeconds, 3),
        results.Count,
        results.Count(r => r.Report?.HasDrift == true),
        results.Count(r => r.Error is not null),
        results.Select(r => new Target(
            r.Name,
            r.Report?.HasDrift,
            r.Report is null ? null : DriftDocument.From(r.Name, r.Report).Differences,
            r.Error?.GetType().Name,
            r.Error?.Message,
            r.Error is null ? (r.Report!.HasDrift ? ExitCodes.ValidationFailed : ExitCodes.Ok) : ExitCodes.For(r.Error))).ToArray());

    /// <summary>One database: whether it drifted and how (null when it could not be compared), or its error and the exit code a single drift would have ended with.</summary>
    internal sealed record Target(string Name, bool? Drift, IReadOnlyList<DriftDocument.Difference>? Differences, string? Error, string? Message, int ExitCode);
}

/// <summary>Compile-time JSON for <see cref="DriftDocument"/> and <see cref="DriftFleetDocument"/>: camelCase, indented, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DriftDocument))]
[JsonSerializable(typeof(DriftFleetDocument))]
internal sealed partial class DriftJsonContext : JsonSerializerContext;
