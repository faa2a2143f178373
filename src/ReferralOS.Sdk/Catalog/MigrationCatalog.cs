using System.Security.Cryptography;
using System.Text;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk;

/// <summary>
/// The ordered, immutable set of migrations and seeds compiled from a project's execution/ folder, and the entry
/// points that apply it. The generated schema class (e.g. <c>ReferralOsSchema</c>) exposes one as <c>Catalog</c>.
/// </summary>
public sealed class MigrationCatalog
{
    private readonly Lazy<Contents> _contents;
    private readonly string? _history;
    private string? _fingerprint;
    private HistoryDigest? _historyDigest;

    /// <summary>Creates a catalogue; migrations and seeds must each be in ascending number order with no number twice.</summary>
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
    /// Creates a catalogue that builds its migrations and seeds the first time they are needed. Generated code calls
    /// this: an application whose database is up to date checks it against <paramref name="history"/> alone, so it
    /// never builds — nor compiles the code that builds — a migration (for 1,000 migrations, some 200 ms of a process
    /// start).
    /// </summary>
    /// <param name="history">Each migration's version and checksum, in order, one <c>version checksum</c> line each (LF between lines).</param>
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
    /// A SHA-256 over every version and checksum, migrations then seeds: equal for two catalogues exactly when
    /// they would build the same database. The testing kit names its template databases by it.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>What the history of a database that has applied exactly this catalogue adds up to; computed once, without building the migrations.</summary>
    internal HistoryDigest HistoryDigest => _historyDigest ??= HistoryDigest.Of(_history ?? Contents.History(Migrations));

    /// <summary>The migration with this version, or null.</summary>
    /// <param name="version">A version such as <c>002_create_tenants</c>.</param>
    /// <returns>The migration, or null when the catalogue has none of that version.</returns>
    public Migration? Find(string version) => _contents.Value.ByVersion.GetValueOrDefault(version);

    /// <summary>Applies every pending migration; see <see cref="SchemaMigrator.MigrateAsync"/>.</summary>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="options">Timeouts and lock settings.</param>
    /// <param name="cancellationToken">Stops the run; the migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    public Task<MigrationResult> MigrateAsync(NpgsqlDataSource dataSource, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(this, dataSource, options).MigrateAsync(cancellationToken);

    /// <summary>Applies every pending migration to the database a connection string names.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Timeouts and lock settings.</param>
    /// <param name="cancellationToken">Stops the run; the migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    public async Task<MigrationResult> MigrateAsync(string connectionString, MigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var dataSource = DataSources.Create(connectionString);
        return await MigrateAsync(dataSource, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the seeds meant for the environment; see <see cref="SchemaMigrator.SeedAsync"/>.</summary>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="environment">The environment the database serves.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The seeds that ran.</returns>
    public Task<SeedResult> SeedAsync(NpgsqlDataSource dataSource, SchemaEnvironment environment, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(this, dataSource).SeedAsync(environment, cancellationToken);

    /// <summary>Reads applied and pending migrations; see <see cref="SchemaMigrator.StatusAsync"/>.</summary>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The status of every migration.</returns>
    public Task<SchemaStatus> StatusAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(this, dataSource).StatusAsync(cancellationToken);

    private string ComputeFingerprint()
    {
        var text = new StringBuilder();
        foreach (var migration in Migrations)
        {
            text.Append("m:").Append(migration.Version).Append(':').Append(migration.Checksum).Append('\n');
        }

        foreach (var seed in Seeds)
        {
            text.Append("s:").Append(seed.Version).Append(':').Append(seed.Checksum).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

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
                    "The catalogue's history lines do not list its migrations' versions and checksums in order: the generated code is out of step with the runtime. Rebuild the project that compiles the catalogue.");
            }

            return new Contents(migrations, seeds);
        }

        /// <summary>The history lines of these migrations: <c>version checksum</c>, in order, LF between lines.</summary>
        public static string History(IReadOnlyList<Migration> migrations) =>
            string.Join('\n', migrations.Select(m => m.Version + " " + m.Checksum));
    }
}
