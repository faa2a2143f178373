using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReferralOS.Sdk.History;
using ReferralOS.Sdk.Migrating;

namespace ReferralOS.Sdk;

/// <summary>
/// Applies a compiled <see cref="MigrationCatalog"/> to one database: migrate, seed, status and reset. Safe to
/// call from every instance of an application at once.
/// </summary>
public sealed class SchemaMigrator
{
    private readonly MigrationCatalog _catalog;
    private readonly NpgsqlDataSource _dataSource;
    private readonly MigrationOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator for one database.</summary>
    /// <param name="catalog">The compiled migrations and seeds, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="options">Timeouts and lock settings; null for the defaults.</param>
    /// <param name="logger">Where to log one line per migration; null for none.</param>
    public SchemaMigrator(MigrationCatalog catalog, NpgsqlDataSource dataSource, MigrationOptions? options = null, ILogger<SchemaMigrator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(dataSource);
        _catalog = catalog;
        _dataSource = dataSource;
        _options = options ?? new MigrationOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Applies every pending migration in number order, each in its own transaction together with its
    /// <c>schema_migrations</c> row. When the database is up to date this is one query and takes no lock.
    /// Otherwise it takes a session advisory lock (waiting for another instance's run to end), reads the history
    /// again, validates it, and applies what is still pending. The first failure stops the run with nothing of
    /// the failing migration recorded.
    /// </summary>
    /// <param name="cancellationToken">Stops the run; the migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    /// <exception cref="MigrationChecksumMismatchException">An applied migration's file was edited.</exception>
    /// <exception cref="UnknownAppliedMigrationException">The database has migrations the code does not know.</exception>
    /// <exception cref="MissingMigrationException">A migration is pending below an applied one.</exception>
    /// <exception cref="MigrationFailedException">A statement failed.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another instance held the lock too long.</exception>
    /// <exception cref="SchemaConnectionException">The database could not be reached.</exception>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);

        // The common case on every start: everything applied. One round trip, no lock.
        if (await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false) is { } history &&
            HistoryValidator.Pending(_catalog, history).Count == 0)
        {
            Log.UpToDate(_logger, history.Count);
            return new MigrationResult([], history.Count, Stopwatch.GetElapsedTime(started));
        }

        await using var migrationLock = await MigrationLock.AcquireAsync(connection, _options.AdvisoryLockKey, _options.LockWaitTimeout, cancellationToken).ConfigureAwait(false);
        await using (var create = new NpgsqlCommand(SchemaMigrationsTable.Create, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Another instance may have done the work while this one waited.
        history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false) ?? [];
        var pending = HistoryValidator.Pending(_catalog, history);
        if (pending.Count > 0)
        {
            Log.Applying(_logger, pending.Count, pending[0].Version);
        }

        var applied = new List<AppliedMigration>(pending.Count);
        foreach (var migration in pending)
        {
            var migrationStarted = Stopwatch.GetTimestamp();
            try
            {
                await MigrationExecutor.ApplyAsync(connection, migration, _options, cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationFailedException ex)
            {
                Log.MigrationFailed(_logger, ex, migration.Version);
                throw;
            }

            var duration = Stopwatch.GetElapsedTime(migrationStarted);
            applied.Add(new AppliedMigration(migration.Version, duration));
            Log.MigrationApplied(_logger, migration.Version, duration.TotalMilliseconds);
        }

        return new MigrationResult(applied, history.Count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Runs, in order, every seed whose <c>-- Environment:</c> header names <paramref name="environment"/>, each in
    /// its own transaction. Seeds insert with ON CONFLICT DO NOTHING, so running them again inserts nothing.
    /// Production is refused before anything is sent to the database.
    /// </summary>
    /// <param name="environment">The environment the database serves.</param>
    /// <param name="cancellationToken">Stops the run; the seed in progress rolls back.</param>
    /// <returns>The seeds that ran and the rows they inserted.</returns>
    /// <exception cref="EnvironmentRefusedException">The environment is production.</exception>
    public async Task<SeedResult> SeedAsync(SchemaEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (environment == SchemaEnvironment.Production)
        {
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var results = new List<SeededScript>();
        foreach (var seed in _catalog.Seeds.Where(s => s.RunsIn(environment)))
        {
            var seedStarted = Stopwatch.GetTimestamp();
            var rows = await Seeding.SeedExecutor.RunAsync(connection, seed, cancellationToken).ConfigureAwait(false);
            var duration = Stopwatch.GetElapsedTime(seedStarted);
            results.Add(new SeededScript(seed.Version, rows, duration));
            Log.SeedRan(_logger, seed.Version, rows, duration.TotalMilliseconds);
        }

        return new SeedResult(environment, results, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Reads which migrations are applied (with their recorded checksums and times) and which are pending.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Every migration the code or the database knows, in version order.</returns>
    public async Task<SchemaStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false) ?? [];
        var recorded = history.ToDictionary(r => r.Version, StringComparer.Ordinal);
        var statuses = new List<MigrationStatus>();
        foreach (var migration in _catalog.Migrations)
        {
            statuses.Add(recorded.Remove(migration.Version, out var row)
                ? new MigrationStatus(migration.Version, row.Checksum == migration.Checksum ? MigrationState.Applied : MigrationState.ChecksumMismatch, migration.Checksum, row.Checksum, row.AppliedAt)
                : new MigrationStatus(migration.Version, MigrationState.Pending, migration.Checksum, null, null));
        }

        statuses.AddRange(recorded.Values.Select(row => new MigrationStatus(row.Version, MigrationState.Unknown, null, row.Checksum, row.AppliedAt)));
        return new SchemaStatus(statuses.OrderBy(s => s.Version, StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// Development only: drops the current schema (normally <c>public</c>) with everything in it, history
    /// included, and recreates it empty. Follow with <see cref="MigrateAsync"/> and <see cref="SeedAsync"/>.
    /// </summary>
    /// <param name="environment">The environment the caller says the database serves; anything but development is refused.</param>
    /// <param name="cancellationToken">Stops the reset; it runs in one transaction.</param>
    /// <returns>A task that completes when the schema is empty.</returns>
    /// <exception cref="EnvironmentRefusedException">The environment is not development.</exception>
    public async Task ResetAsync(SchemaEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (environment != SchemaEnvironment.Development)
        {
            throw new EnvironmentRefusedException("reset", environment, "reset drops every table and its data, so it only runs against development databases.");
        }

        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string schema;
        await using (var current = new NpgsqlCommand("SELECT current_schema()", connection, transaction))
        {
            schema = (string?)await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? "public";
        }

        var quoted = new NpgsqlCommandBuilder().QuoteIdentifier(schema);
        await using (var drop = new NpgsqlCommand($"DROP SCHEMA {quoted} CASCADE; CREATE SCHEMA {quoted}; GRANT USAGE ON SCHEMA {quoted} TO PUBLIC", connection, transaction))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.SchemaReset(_logger, schema);
    }

    /// <summary>The history, or null when <c>schema_migrations</c> does not exist yet.</summary>
    private static async Task<List<HistoryRow>?> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(SchemaMigrationsTable.SelectAll, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<HistoryRow>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new HistoryRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return rows;
        }
        catch (PostgresException ex) when (ex.SqlState == SchemaMigrationsTable.UndefinedTable)
        {
            return null;
        }
    }
}
