using System.Globalization;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// How the commands that take <c>--targets</c> print a fleet: a table with one row per database, in the order of
/// <c>--targets</c>, then every failure in full, one line each; and the names of outcomes and states that the table
/// and <c>--json</c> share.
/// </summary>
internal static class FleetLines
{
    public const string UpToDate = "up-to-date";
    public const string Pending = "pending";
    public const string Problem = "problem";
    public const string Failed = "failed";

    private const int StateWidth = 12;
    private const int CountWidth = 9;
    private const int TimeWidth = 10;

    public static string OutcomeName(FleetOutcome outcome) => outcome switch
    {
        FleetOutcome.Applied => "applied",
        FleetOutcome.UpToDate => UpToDate,
        FleetOutcome.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown fleet outcome."),
    };

    /// <summary>
    /// A database's state in a fleet's status: <see cref="Failed"/> when it could not be read, <see cref="Problem"/> when
    /// status alone would exit 3 for it (migrate would refuse its history, or an index is INVALID), else up to date or pending.
    /// </summary>
    public static string StateOf(FleetStatusResult result) => result.Status switch
    {
        null => Failed,
        { Problem: not null } or { InvalidIndexes.Count: > 0 } => Problem,
        { IsUpToDate: true } => UpToDate,
        _ => Pending,
    };

    public static void WriteMigrations(CliOutput output, IReadOnlyList<FleetMigrationResult> results)
    {
        var width = NameWidth(results.Select(r => r.Name));
        output.Heading($"{"Database".PadRight(width)}{"Outcome".PadRight(StateWidth)}{"Applied",CountWidth}{"Time",TimeWidth}  Error");
        foreach (var result in results)
        {
            var line = $"{result.Name.PadRight(width)}{OutcomeName(result.Outcome).PadRight(StateWidth)}{Number(result.AppliedCount),CountWidth}{Wording.Duration(result.Duration),TimeWidth}  {result.Error?.GetType().Name}".TrimEnd();
            Write(output, line, result.Outcome == FleetOutcome.Failed);
        }

        WriteErrors(output, results.Select(r => (r.Name, r.Error)));
    }

    public static void WriteStatuses(CliOutput output, IReadOnlyList<FleetStatusResult> results)
    {
        var width = NameWidth(results.Select(r => r.Name));
        output.Heading($"{"Database".PadRight(width)}{"State".PadRight(StateWidth)}{"Applied",CountWidth}{"Pending",CountWidth}{"Time",TimeWidth}  Note");
        foreach (var result in results)
        {
            var state = StateOf(result);
            var note = result.Error?.GetType().Name ?? (result.Status!.IsProduction ? "production" : string.Empty);
            var line = $"{result.Name.PadRight(width)}{state.PadRight(StateWidth)}{Number(result.Status?.Applied.Count),CountWidth}{Number(result.Status?.Pending.Count),CountWidth}{Wording.Duration(result.Duration),TimeWidth}  {note}".TrimEnd();
            Write(output, line, state is Failed or Problem);
        }

        WriteErrors(output, results.Select(r => (r.Name, r.Error ?? r.Status!.Problem)));
        foreach (var result in results.Where(r => r.Status is { Problem: null, InvalidIndexes.Count: > 0 }))
        {
            output.Warning($"{result.Name}: {Commands.Status.StatusCommand.InvalidIndexWarning(result.Status!.InvalidIndexes)}");
        }
    }

    /// <summary>The closing line's figures: <c>3 of 200 databases</c>-style counts joined, and the wall time at the parallelism used.</summary>
    public static string Totals(IEnumerable<(int Count, string What)> counts, int total, int parallel, TimeSpan duration) =>
        $"{Wording.Count(total, "database")} in {Wording.Duration(duration)} at --parallel {parallel.ToString(CultureInfo.InvariantCulture)}: " +
        string.Join(", ", counts.Where(c => c.Count > 0).Select(c => $"{c.Count.ToString(CultureInfo.InvariantCulture)} {c.What}"));

    private static void WriteErrors(CliOutput output, IEnumerable<(string Name, Exception? Error)> errors)
    {
        foreach (var (name, error) in errors.Where(e => e.Error is not null))
        {
            output.Warning($"{name}: {error!.Message}");
        }
    }

    private static void Write(CliOutput output, string line, bool failed)
    {
        if (failed)
        {
            output.Warning(line);
        }
        else
        {
            output.Line(line);
        }
    }

    private static int NameWidth(IEnumerable<string> names) => names.Select(n => n.Length).Append("Database".Length).Max() + 2;

    private static string Number(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
