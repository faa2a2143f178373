using System.Globalization;
using ReferralOS.Schema;

namespace ReferralOS.Sdk.Benchmarks.Evolve;

/// <summary>
/// The ReferralOS migration files in a temporary folder under Evolve's naming: <c>001_create_extensions.sql</c>
/// becomes <c>V1__create_extensions.sql</c>, byte for byte. A <c>Transaction: none</c> file (010, CREATE INDEX
/// CONCURRENTLY) cannot be copied as it is: Evolve sends a file as one command, which Npgsql pipelines, and
/// PostgreSQL refuses CONCURRENTLY in a pipeline even with Evolve's <c>-- evolve-tx-off</c> on the first line (Evolve
/// issue #310). So it becomes one file a statement — <c>V10_1__create_indexes_1.sql</c> … — each opening with
/// <c>-- evolve-tx-off</c>. Evolve then records 19 versions where ReferralOS and EF Core record 10.
/// Evolve would also replace <c>${…}</c> placeholders; none of the files contains one.
/// </summary>
internal sealed class EvolveScripts : IDisposable
{
    private EvolveScripts(string directory) => Directory = directory;

    /// <summary>The folder to give Evolve as its location.</summary>
    public string Directory { get; }

    public static EvolveScripts Write()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("referralos-evolve-").FullName;
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "execution", "migrations"), "*.sql"))
        {
            var version = Path.GetFileNameWithoutExtension(file);
            var migration = ReferralOsSchema.Catalog.Find(version)
                ?? throw new InvalidOperationException($"{file} is not in the compiled catalog: rebuild the benchmarks.");
            var number = migration.Number.ToString(CultureInfo.InvariantCulture);
            if (migration.TransactionMode == MigrationTransactionMode.Transactional)
            {
                File.Copy(file, Path.Combine(directory, $"V{number}__{migration.Name}.sql"));
                continue;
            }

            for (var i = 0; i < migration.Up.Statements.Count; i++)
            {
                var part = (i + 1).ToString(CultureInfo.InvariantCulture);
                File.WriteAllText(
                    Path.Combine(directory, $"V{number}_{part}__{migration.Name}_{part}.sql"),
                    "-- evolve-tx-off\n" + migration.Up.Statements[i].Sql + "\n");
            }
        }

        return new EvolveScripts(directory);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
