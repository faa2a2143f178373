namespace ReferralOS.Sdk;

/// <summary>
/// A database's shape without its data — rows and size per table — as <see cref="SchemaMigrator.ReadStatisticsAsync"/>
/// reads it (<c>referralos-db stats</c>), for <see cref="ExplainOptions.Statistics"/> to scale what a migration took on
/// a small copy to the tables it will meet.
/// </summary>
/// <param name="Tables">Every table, by name.</param>
public sealed record DatabaseStatistics(IReadOnlyList<TableStatistics> Tables)
{
    /// <summary>The table's entry, or null when the snapshot has none.</summary>
    /// <param name="table">The table as regclass prints it.</param>
    /// <returns>Its entry.</returns>
    public TableStatistics? Find(string table) => Tables.FirstOrDefault(t => t.Table == table);
}
