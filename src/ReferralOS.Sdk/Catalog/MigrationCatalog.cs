using ReferralOS.Sdk.History;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk;

/// <summary>
/// The ordered, immutable set of migrations and seeds compiled from a project's execution/ folder: data, which
/// <see cref="SchemaMigrator"/> applies. The generated schema class (e.g. <c>ReferralOsSchema</c>) exposes one as
/// <c>Catalog</c>.
/// </summary>
public sealed class MigrationCatalog
{
    /// <summary>The line between the migrations' history lines and the seeds' in the fingerprint: no history line is one word.</summary>
    private const string SeedsLine = "seeds";

    private readonly Lazy<Contents> _contents;
    private readonly string? _history;
    private string? _fingerprint;
    private HistoryDigest? _historyDigest;

    /// <summary>Creates a catalog; migrations and seeds must each be in ascending number order with no number twice.</summary>
    /// <param name="migrations">The migrations, in order.</param>
    /// <param name="seeds">The seeds, in order.</param>
    public MigrationCatalog(IReadOnlyList<Migration> migrations, IReadOnlyList<SeedScript> seeds)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(seeds);
        var contents = Contents.Of(migrations, seeds);
        _contents = new Lazy<Contents>(() => contents);
    }

    /// <summary>
    /// Creates a catalog that builds its migrations and seeds the first time they are needed. Generated code calls
    /// this: an application whose database is up to date checks it against <paramref name="history"/> alone, so it
    /// never builds — nor compiles the code that builds — a migration (for 1,000 migrations, some 200 ms of a process
    /// start).
    /// </summary>
    /// <param name="history">Each migration's history line (<c>version checksum</c>), in order, LF between lines.</param>
    /// <param name="migrations">Builds the migrations, in order; they must be the ones <paramref name="history"/> lists.</param>
    /// <param name="seeds">Builds the seeds, in order.</param>
    public MigrationCatalog(string history, Func<IReadOnlyList<Migration>> migrations, Func<IReadOnlyList<SeedScript>> seeds)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(seeds);
        _history = history;
        _contents = new Lazy<Contents>(() => Contents.Of(migrations(), seeds(), history));
    }

    /// <summary>The migrations, in the order they apply.</summary>
    public IReadOnlyList<Migration> Migrations => _contents.Value.Migrations;

    /// <summary>The seeds, in the order they run.</summary>
    public IReadOnlyList<SeedScript> Seeds => _contents.Value.Seeds;

    /// <summary>
    /// The SHA-256 digest of every migration's history line (<c>version checksum</c>), then of every seed's, as
    /// <c>migrations.lock</c>'s sum line digests its entries: equal for two catalogs exactly when they would build the
    /// same database. The testing kit names its template databases by it.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>What the history of a database that has applied exactly this catalog adds up to; computed once, without building the migrations.</summary>
    internal HistoryDigest HistoryDigest => _historyDigest ??= HistoryDigest.Of(_history ?? Contents.History(Migrations));

    /// <summary>The migration with this version, or null.</summary>
    /// <param name="version">A version such as <c>002_create_tenants</c>.</param>
    /// <returns>The migration, or null when the catalog has none of that version.</returns>
    public Migration? Find(string version) => _contents.Value.ByVersion.GetValueOrDefault(version);

    private string ComputeFingerprint() =>
        HistoryLine.Digest(Migrations.Select(m => HistoryLine.Of(m.Version, m.Checksum)).Append(SeedsLine).Concat(Seeds.Select(s => HistoryLine.Of(s.Version, s.Checksum))));

    /// <summary>The migrations and seeds, checked, with the migrations by version.</summary>
    private sealed class Contents
    {
        private Contents(IReadOnlyList<Migration> migrations, IReadOnlyList<SeedScript> seeds)
        {
            Migrations = migrations;
            Seeds = seeds;
            ByVersion = migrations.ToDictionary(m => m.Version, StringComparer.Ordinal);
        }

        public IReadOnlyList<Migration> Migrations { get; }

        public IReadOnlyList<SeedScript> Seeds { get; }

        public Dictionary<string, Migration> ByVersion { get; }

        public static Contents Of(IReadOnlyList<Migration> migrations, IReadOnlyList<SeedScript> seeds, string? history = null)
        {
            for (var i = 1; i < migrations.Count; i++)
            {
                if (migrations[i].Number <= migrations[i - 1].Number)
                {
                    throw new ArgumentException($"Migrations must be in ascending number order: '{migrations[i]}' comes after '{migrations[i - 1]}'.", nameof(migrations));
                }
            }

            for (var i = 1; i < seeds.Count; i++)
            {
                if (seeds[i].Number <= seeds[i - 1].Number)
                {
                    throw new ArgumentException($"Seeds must be in ascending number order: '{seeds[i]}' comes after '{seeds[i - 1]}'.", nameof(seeds));
                }
            }

            if (history is not null && !string.Equals(history, History(migrations), StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    "The catalog's history lines do not list its migrations' versions and checksums in order: the generated code is out of step with the runtime. Rebuild the project that compiles the catalog.");
            }

            return new Contents(migrations, seeds);
        }

        /// <summary>The history lines of these migrations, in order, LF between lines.</summary>
        public static string History(IReadOnlyList<Migration> migrations) =>
            HistoryLine.Join(migrations.Select(m => HistoryLine.Of(m.Version, m.Checksum)));
    }
}
