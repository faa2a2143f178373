using System.Diagnostics;
using Npgsql;
using ReferralOS.Sdk.Drift;
using ReferralOS.Sdk.Scratch;

namespace ReferralOS.Sdk;

/// <summary>Drift: the live database against the schema its applied migrations build.</summary>
public sealed partial class SchemaMigrator
{
    /// <summary>Compares a database with the schema a catalog's migrations build; see <see cref="DetectDriftAsync(CancellationToken)"/>. The generated <c>DetectDriftAsync</c> calls this.</summary>
    /// <param name="catalog">The compiled migrations and seeds, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="options">The history table and timeouts; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the comparison; the scratch database is dropped all the same.</param>
    /// <returns>Every difference; none when the database is what its migrations build.</returns>
    public static Task<DriftReport> DetectDriftAsync(MigrationCatalog catalog, NpgsqlDataSource dataSource, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(catalog, dataSource, options).DetectDriftAsync(cancellationToken);

    /// <summary>
    /// <see cref="DetectDriftAsync(CancellationToken)"/> for each of many databases, at most <see cref="FleetOptions.MaxParallelism"/> at once (each
    /// with a scratch database of its own on its server). A target that cannot be compared is reported with its error and
    /// never stops the others.
    /// </summary>
    /// <param name="catalog">The compiled migrations the databases are compared with.</param>
    /// <param name="targets">The databases; results come in the same order.</param>
    /// <param name="options">Parallelism, and the history table in <see cref="FleetOptions.Migration"/>; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the comparisons; every scratch database is dropped all the same.</param>
    /// <returns>One result per target, in the order of <paramref name="targets"/>.</returns>
    /// <exception cref="OperationCanceledException">The comparisons were cancelled.</exception>
    public static async Task<IReadOnlyList<FleetDriftResult>> DetectDriftManyAsync(MigrationCatalog catalog, IEnumerable<FleetTarget> targets, FleetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new FleetOptions();
        options.Validate();
        return await ForEachTargetAsync(
            targets,
            options.MaxParallelism,
            (dataSource, ct) => new SchemaMigrator(catalog, dataSource, options.Migration).DetectDriftAsync(ct),
            (target, report, error, duration) => new FleetDriftResult(target.Name, report, error, duration),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finds what was changed by hand: builds the schema that the migrations this database records as applied create,
    /// in a scratch database on the same server (created empty, migrated by this same runtime, and dropped afterwards
    /// on every path), and compares the two one object at a time — extensions, schemas, tables (and whether row-level
    /// security is on), views, columns (type, nullability, default), constraints, indexes (an INVALID one left by a
    /// failed CREATE INDEX CONCURRENTLY included), functions, triggers, row-level-security policies, grants and
    /// comments — each definition as PostgreSQL deparses it, so that formatting never counts as a difference. The
    /// history table and its siblings (<c>&lt;history&gt;_*</c>) are left out. Reads the database only and takes no lock;
    /// pending migrations are not drift (<see cref="StatusAsync(CancellationToken)"/> lists them).
    /// </summary>
    /// <param name="cancellationToken">Stops the comparison; the scratch database is dropped all the same.</param>
    /// <returns>Every difference, named by kind and object, with the expected and the actual definition.</returns>
    /// <exception cref="InsufficientPrivilegeException">The role may not create the scratch database (it needs CREATEDB).</exception>
    /// <exception cref="ScratchDatabaseException">The scratch database could not be created or dropped, or a migration failed in it.</exception>
    /// <exception cref="InvalidHistoryException">The history table has another tool's layout.</exception>
    /// <exception cref="DatabaseConnectionException">The database could not be reached.</exception>
    public async Task<DriftReport> DetectDriftAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        IReadOnlyDictionary<(SchemaObjectKind Kind, string Name), string> actual;
        Migration[] applied;
        await using (var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false))
        {
            var history = await ReadHistoryAsync(connection, guard: null, cancellationToken).ConfigureAwait(false);
            var recorded = (history.Rows ?? []).Select(r => r.Version).ToHashSet(StringComparer.Ordinal);
            applied = _catalog.Migrations.Where(m => recorded.Contains(m.Version)).ToArray();
            actual = await SchemaObjects.ReadAsync(connection, history.Table, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        }

        await using var scratch = await ScratchDatabase.CreateEmptyAsync(_dataSource, "drift", cancellationToken).ConfigureAwait(false);
        try
        {
            // The same runtime as every deploy builds it, with the same history table; never marked production.
            await new SchemaMigrator(new MigrationCatalog(applied, []), scratch.DataSource, _options with { Environment = DatabaseEnvironment.Development })
                .MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationException ex) when (ex is not DatabaseConnectionException)
        {
            throw new ScratchDatabaseException(
                $"Could not build the expected schema in the scratch database {scratch.Name} on the same server: {ex.Message} " +
                "Drift builds the schema the applied migrations create in an empty database; a migration that needs something the target has and an empty database lacks (a role, a superuser-only extension) fails there.",
                scratch.Name,
                ex);
        }

        await using var expectedConnection = await DataSources.OpenAsync(scratch.DataSource, cancellationToken).ConfigureAwait(false);
        var expected = await SchemaObjects.ReadAsync(expectedConnection, _table, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        return new DriftReport(SchemaObjects.Compare(expected, actual), applied.Select(m => m.Version).ToArray(), Stopwatch.GetElapsedTime(started));
    }
}
