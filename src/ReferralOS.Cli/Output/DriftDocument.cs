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

/// <summary>Compile-time JSON for <see cref="DriftDocument"/>: camelCase, indented, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DriftDocument))]
internal sealed partial class DriftJsonContext : JsonSerializerContext;
