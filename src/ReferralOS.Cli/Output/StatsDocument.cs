using System.Text.Json.Serialization;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// What <c>stats</c> writes and <c>explain --stats</c> reads: a database's shape — rows and size per table — without its
/// data, to commit beside the migrations. Add fields freely; never rename or remove one.
/// </summary>
internal sealed record StatsDocument(string Database, DateTimeOffset TakenAt, IReadOnlyList<StatsDocument.Table> Tables)
{
    public static StatsDocument From(string database, DatabaseStatistics statistics) =>
        new(database, DateTimeOffset.UtcNow, statistics.Tables.Select(t => new Table(t.Table, t.Rows, t.TotalBytes)).ToArray());

    public DatabaseStatistics ToStatistics() => new(Tables.Select(t => new TableStatistics(t.Name, t.Rows, t.TotalBytes)).ToArray());

    /// <summary>One table: its name as regclass prints it, its rows and its size with indexes and TOAST.</summary>
    internal sealed record Table(string Name, long Rows, long TotalBytes);
}

/// <summary>Compile-time JSON for <see cref="StatsDocument"/>: camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StatsDocument))]
internal sealed partial class StatsJsonContext : JsonSerializerContext;
