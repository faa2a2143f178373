using System.Text.Json.Serialization;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// What <c>migrate --targets --json</c> writes: one entry per database, in the order of <c>--targets</c>, and the totals.
/// A stable shape for scripts: add fields freely; never rename or remove one.
/// </summary>
internal sealed record FleetMigrateDocument(int Targets, int Applied, int UpToDate, int Failed, int Parallel, double DurationMs, IReadOnlyList<FleetMigrateDocument.MigrateEntry> Results)
{
    public static FleetMigrateDocument From(IReadOnlyList<FleetMigrationResult> results, int parallel, TimeSpan duration) => new(
        results.Count,
        results.Count(r => r.Outcome == FleetOutcome.Applied),
        results.Count(r => r.Outcome == FleetOutcome.UpToDate),
        results.Count(r => r.Outcome == FleetOutcome.Failed),
        parallel,
        duration.TotalMilliseconds,
        results.Select(r => new MigrateEntry(r.Name, FleetLines.OutcomeName(r.Outcome), r.AppliedCount, r.Result?.AlreadyApplied, r.Duration.TotalMilliseconds, FleetError.From(r.Error))).ToArray());

    /// <summary>One database: <c>applied</c>, <c>up-to-date</c> or <c>failed</c>, what this run applied, what was applied before (null when it failed), and the error.</summary>
    internal sealed record MigrateEntry(string Name, string Outcome, int Applied, int? AlreadyApplied, double DurationMs, FleetError? Error);
}

/// <summary>
/// What <c>status --targets --json</c> writes: one entry per database with its <c>status --json</c> document, in the order of
/// <c>--targets</c>, and the totals. A stable shape for scripts: add fields freely; never rename or remove one.
/// </summary>
internal sealed record FleetStatusDocument(int Targets, int UpToDate, int Pending, int Problem, int Failed, int Parallel, double DurationMs, IReadOnlyList<FleetStatusDocument.StatusEntry> Results)
{
    public static FleetStatusDocument From(IReadOnlyList<FleetStatusResult> results, int parallel, TimeSpan duration) => new(
        results.Count,
        results.Count(r => FleetLines.StateOf(r) == FleetLines.UpToDate),
        results.Count(r => FleetLines.StateOf(r) == FleetLines.Pending),
        results.Count(r => FleetLines.StateOf(r) == FleetLines.Problem),
        results.Count(r => FleetLines.StateOf(r) == FleetLines.Failed),
        parallel,
        duration.TotalMilliseconds,
        results.Select(r => new StatusEntry(
            r.Name,
            FleetLines.StateOf(r),
            r.Status?.Problem?.Message ?? (r.Status?.InvalidIndexes.Count > 0 ? "INVALID indexes: " + string.Join(", ", r.Status.InvalidIndexes) : null),
            r.Duration.TotalMilliseconds,
            r.Status is null ? null : StatusDocument.From(r.Name, r.Status),
            FleetError.From(r.Error))).ToArray());

    /// <summary>
    /// One database: <c>up-to-date</c>, <c>pending</c>, <c>problem</c> (migrate would refuse it, or an index is INVALID: what
    /// status alone exits 3 for) or <c>failed</c> (it could not be read); the problem in words; its status document, null when failed.
    /// </summary>
    internal sealed record StatusEntry(string Name, string State, string? Problem, double DurationMs, StatusDocument? Status, FleetError? Error);
}

/// <summary>Why a database of a fleet failed: the error's type, its message, and the exit code the command would end with for that database alone.</summary>
internal sealed record FleetError(string Type, string Message, int ExitCode)
{
    public static FleetError? From(Exception? error) => error is null ? null : new(error.GetType().Name, error.Message, ExitCodes.For(error));
}

/// <summary>Compile-time JSON for the fleet documents: camelCase, indented, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FleetMigrateDocument))]
[JsonSerializable(typeof(FleetStatusDocument))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
