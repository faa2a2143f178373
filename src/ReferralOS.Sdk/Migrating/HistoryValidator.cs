using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// Compares what the database recorded with the compiled catalogue, before anything runs. In order: versions
/// the code does not know, edited applied migrations, then pending migrations that cannot run in number order —
/// a gap (the pending migration lies between two applied ones) or a history that starts above it (nothing below
/// it is applied).
/// </summary>
internal static class HistoryValidator
{
    /// <summary>The migrations still to apply, in order; throws when the history and the code disagree.</summary>
    /// <remarks>The up-to-date case allocates nothing beyond the history rows already read.</remarks>
    public static IReadOnlyList<Migration> Pending(MigrationCatalog catalog, HistorySnapshot snapshot)
    {
        var history = snapshot.Rows ?? [];
        CheckRecorded(catalog, snapshot);
        if (history.Count == catalog.Migrations.Count)
        {
            return [];
        }

        var applied = history.Select(row => row.Version).ToHashSet(StringComparer.Ordinal);
        var pending = catalog.Migrations.Where(m => !applied.Contains(m.Version)).ToArray();
        var first = pending[0];
        var later = catalog.Migrations.FirstOrDefault(m => m.Number > first.Number && applied.Contains(m.Version));
        if (later is not null)
        {
            var earlier = catalog.Migrations.LastOrDefault(m => m.Number < first.Number && applied.Contains(m.Version));
            throw earlier is null
                ? new MigrationOutOfOrderException(first, later.Version)
                : new MigrationHistoryGapException(first, earlier.Version, later.Version);
        }

        return pending;
    }

    /// <summary>
    /// The checks on what is recorded, before any about order: every row names a migration the code has, with a
    /// checksum, and the checksum the compiled file has. Afterwards every row is a known migration, once (the version is
    /// the table's key).
    /// </summary>
    public static void CheckRecorded(MigrationCatalog catalog, HistorySnapshot snapshot)
    {
        var history = snapshot.Rows ?? [];
        var known = 0;
        foreach (var row in history)
        {
            if (catalog.Find(row.Version) is not null)
            {
                known++;
            }
        }

        if (known < history.Count)
        {
            throw new UnknownAppliedMigrationException(history.Where(row => catalog.Find(row.Version) is null).Select(row => row.Version).ToArray());
        }

        foreach (var row in history)
        {
            var migration = catalog.Find(row.Version)!;
            if (row.Checksum is null)
            {
                throw new InvalidHistoryException(
                    $"The history table {snapshot.Table.Display} records {migration.Version} with no checksum (NULL): the row was written by hand or by another tool, so nothing proves the file is what was applied. " +
                    $"Compare the database with {migration.Path}; if it holds what the file creates, record the file's checksum: {snapshot.Table.UpdateChecksumLiteral(migration.Version, migration.Checksum)}. Nothing was applied.",
                    snapshot.Table.Display,
                    migration.Version);
            }

            if (!string.Equals(row.Checksum, migration.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationChecksumMismatchException(migration.Version, migration.Path, row.Checksum, migration.Checksum);
            }
        }
    }
}
