using ReferralOS.Sdk.History;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// Compares what the database recorded with the compiled catalog (<see cref="HistoryComparison"/>), before anything
/// runs, and refuses what migrate must not run on. In order: versions the code does not know, rows without a checksum
/// and edited applied migrations, then pending migrations that cannot run in number order — a gap (the pending
/// migration lies between two applied ones) or a history that starts above it (nothing below it is applied).
/// </summary>
internal static class HistoryValidator
{
    /// <summary>The history against the catalog: one entry per row, in history order, then one per pending migration.</summary>
    public static List<HistoryEntry> Compare(MigrationCatalog catalog, IReadOnlyList<HistoryRow> rows) =>
        HistoryComparison.Compare(catalog.Migrations, static m => m.Version, static m => m.Checksum, rows, static r => r.Version, static r => r.Checksum);

    /// <summary>The migrations still to apply, in order; throws when the history and the code disagree.</summary>
    public static IReadOnlyList<Migration> Pending(MigrationCatalog catalog, HistorySnapshot snapshot) =>
        Pending(catalog, snapshot, Compare(catalog, snapshot.Rows ?? []));

    /// <summary>The migrations still to apply, in order, from a comparison already made; throws when the history and the code disagree.</summary>
    public static IReadOnlyList<Migration> Pending(MigrationCatalog catalog, HistorySnapshot snapshot, List<HistoryEntry> comparison)
    {
        CheckRecorded(catalog, snapshot, comparison);
        var pending = comparison.Where(e => e.Match == HistoryMatch.Pending).Select(e => catalog.Migrations[e.Code]).ToArray();
        if (pending.Length == 0)
        {
            return [];
        }

        // The catalog is in number order, so an index above the first pending one is a number above it.
        var applied = new bool[catalog.Migrations.Count];
        foreach (var entry in comparison.Where(e => e.Recorded >= 0))
        {
            applied[entry.Code] = true;
        }

        var first = comparison.First(e => e.Match == HistoryMatch.Pending).Code;
        var later = Array.IndexOf(applied, true, first);
        if (later >= 0)
        {
            var earlier = Array.LastIndexOf(applied, true, first);
            throw earlier < 0
                ? new MigrationOutOfOrderException(pending[0], catalog.Migrations[later].Version)
                : new MigrationHistoryGapException(pending[0], catalog.Migrations[earlier].Version, catalog.Migrations[later].Version);
        }

        return pending;
    }

    /// <summary>
    /// The checks on what is recorded, before any about order: every row names a migration the code has, with a
    /// checksum, and the checksum the compiled file has. Afterwards every row is a known migration, once (the version is
    /// the table's key).
    /// </summary>
    public static void CheckRecorded(MigrationCatalog catalog, HistorySnapshot snapshot) =>
        CheckRecorded(catalog, snapshot, Compare(catalog, snapshot.Rows ?? []));

    private static void CheckRecorded(MigrationCatalog catalog, HistorySnapshot snapshot, List<HistoryEntry> comparison)
    {
        var rows = snapshot.Rows ?? [];
        var unknown = comparison.Where(e => e.Match == HistoryMatch.Unknown).Select(e => rows[e.Recorded].Version).ToArray();
        if (unknown.Length > 0)
        {
            throw new UnknownAppliedMigrationException(unknown);
        }

        foreach (var entry in comparison)
        {
            var migration = entry.Code >= 0 ? catalog.Migrations[entry.Code] : null;
            if (entry.Match == HistoryMatch.NoChecksum)
            {
                throw new InvalidHistoryException(
                    $"The history table {snapshot.Table.Display} records {migration!.Version} with no checksum (NULL): the row was written by hand or by another tool, so nothing proves the file is what was applied. " +
                    $"Compare the database with {migration.Path}; if it holds what the file creates, record the file's checksum: {snapshot.Table.UpdateChecksumLiteral(migration.Version, migration.Checksum)}. Nothing was applied.",
                    snapshot.Table.Display,
                    migration.Version);
            }

            if (entry.Match == HistoryMatch.Edited)
            {
                throw new MigrationChecksumMismatchException(migration!.Version, migration.Path, rows[entry.Recorded].Checksum!, migration.Checksum);
            }
        }
    }
}
