using System.Text.Json.Serialization;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// What <c>status --json</c> writes: a stable shape for scripts. Add fields freely; never rename or remove one.
/// </summary>
internal sealed record StatusDocument(string Database, bool UpToDate, bool Production, int Applied, int Pending, IReadOnlyList<StatusDocument.Entry> Migrations)
{
    public static StatusDocument From(string database, SchemaStatus status) => new(
        database,
        status.IsUpToDate,
        status.IsProduction,
        status.Applied.Count,
        status.Pending.Count,
        status.Migrations.Select(m => new Entry(m.Version, StateName(m.State), m.Checksum, m.AppliedChecksum, m.AppliedAt)).ToArray());

    /// <summary>The state as <c>status</c> prints it and <c>--json</c> writes it.</summary>
    public static string StateName(MigrationState state) => state switch
    {
        MigrationState.Applied => "applied",
        MigrationState.Pending => "pending",
        MigrationState.ChecksumMismatch => "checksum-mismatch",
        MigrationState.Unknown => "unknown",
        MigrationState.Repaired => "repaired",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown migration state."),
    };

    /// <summary>One migration: its compiled checksum and, once applied, the recorded one and when.</summary>
    internal sealed record Entry(string Version, string State, string? Checksum, string? AppliedChecksum, DateTimeOffset? AppliedAt);
}

/// <summary>Compile-time JSON for <see cref="StatusDocument"/>: camelCase, indented, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StatusDocument))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
