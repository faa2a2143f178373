using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// Compares what the database recorded with the compiled catalogue, before anything runs: edited applied
/// migrations, versions the code does not know, and pending migrations below applied ones are all refused.
/// </summary>
internal static class HistoryValidator
{
    /// <summary>The migrations still to apply, in order; throws when the history and the code disagree.</summary>
    public static IReadOnlyList<Migration> Pending(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history)
    {
        var unknown = history.Where(row => catalog.Find(row.Version) is null).Select(row => row.Version).ToArray();
        if (unknown.Length > 0)
        {
            throw new UnknownAppliedMigrationException(unknown);
        }

        var applied = new HashSet<string>(StringComparer.Ordinal);
        var highestApplied = -1;
        foreach (var row in history)
        {
            var migration = catalog.Find(row.Version)!;
            if (!string.Equals(row.Checksum, migration.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationChecksumMismatchException(migration.Version, migration.Path, row.Checksum, migration.Checksum);
            }

            applied.Add(row.Version);
            highestApplied = Math.Max(highestApplied, migration.Number);
        }

        if (applied.Count == catalog.Migrations.Count)
        {
            return [];
        }

        var pending = catalog.Migrations.Where(m => !applied.Contains(m.Version)).ToArray();
        if (pending[0].Number < highestApplied)
        {
            var later = catalog.Migrations.First(m => m.Number > pending[0].Number && applied.Contains(m.Version));
            throw new MissingMigrationException(pending[0].Version, later.Version);
        }

        return pending;
    }
}
