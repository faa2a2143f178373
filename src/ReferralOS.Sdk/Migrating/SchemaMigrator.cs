using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReferralOS.Sdk.History;
using ReferralOS.Sdk.Migrating;

namespace ReferralOS.Sdk;

/// <summary>
/// Applies a compiled <see cref="MigrationCatalog"/> to one database: migrate, dry runs, rollback, seed, status and
/// reset. Safe to call from every instance of an application at once; register it with
/// <c>services.AddReferralOsSchema(...)</c> or create one per database.
/// </summary>
public sealed class SchemaMigrator
{
    /// <summary>The rollback target that reverts every applied migration, as in <c>rollback --to 0</c>.</summary>
    public const string InitialVersion = "0";

    /// <summary>How soon the server notices that a migrator died mid-statement (PostgreSQL 14+), ending its session and lock.</summary>
    private const string ClientCheck = "SET client_connection_check_interval = '1000ms'";

    private readonly MigrationCatalog _catalog;
    private readonly NpgsqlDataSource _dataSource;
    private readonly MigrationOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator for one database.</summary>
    /// <param name="catalog">The compiled migrations and seeds, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="options">Timeouts, lock settings and environment; null for the defaults.</param>
    /// <param name="logger">Where to log one line per migration with its duration; null for none.</param>
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
    /// Applies every pending migration in number order. When the database is up to date this is one round trip that
    /// takes no lock and ships no history row: the server compares the history with the catalogue (its row count and
    /// a sum of hashes of each version and checksum) and answers yes or no. Otherwise the history is read and
    /// validated, and the call takes a session advisory lock (polling while another instance migrates), reads the
    /// history again, validates it, and applies what is still pending: a transactional migration together with its
    /// <c>schema_migrations</c> row in one transaction, a <c>Transaction: none</c> one statement by statement with its
    /// row written last. The first failure stops the run with nothing of the failing migration recorded.
    /// </summary>
    /// <param name="cancellationToken">Stops the run; a transactional migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    /// <exception cref="MigrationChecksumMismatchException">An applied migration's file was edited.</exception>
    /// <exception cref="UnknownAppliedMigrationException">The database has migrations the code does not know.</exception>
    /// <exception cref="MissingMigrationException">A migration is pending below an applied one.</exception>
    /// <exception cref="MigrationFailedException">A statement failed, or the connection was lost.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another instance held the lock too long.</exception>
    /// <exception cref="SchemaConnectionException">The database could not be reached.</exception>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);

        // The common case on every start: everything applied. One round trip, no lock, no history rows.
        var check = await CheckUpToDateAsync(connection, cancellationToken).ConfigureAwait(false);
        if (check.IsCurrent)
        {
            return await UpToDateAsync(connection, check.IsProduction, _catalog.HistoryDigest.Count, started, cancellationToken).ConfigureAwait(false);
        }

        // Something to do, or something wrong: read and validate every row before taking the lock, so that an edited
        // or unknown migration is reported at once. (A history table that does not exist has nothing to validate.)
        var history = check.TableExists ? await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false) : HistorySnapshot.Missing;
        if (history.Rows is not null && HistoryValidator.Pending(_catalog, history.Rows).Count == 0)
        {
            return await UpToDateAsync(connection, history.IsProduction, history.Count, started, cancellationToken).ConfigureAwait(false);
        }

        await using var migrationLock = await MigrationLock.AcquireAsync(connection, _options.AdvisoryLockKey, _options.LockWaitTimeout, cancellationToken).ConfigureAwait(false);

        // Another instance may have done the work while this one waited.
        history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        var pending = HistoryValidator.Pending(_catalog, history.Rows);
        await SetUpAsync(connection, history, cancellationToken).ConfigureAwait(false);
        if (pending.Count > 0)
        {
            Log.Applying(_logger, pending.Count, pending[0].Version);
        }

        var applied = new List<AppliedMigration>(pending.Count);
        foreach (var migration in pending)
        {
            applied.Add(await RunAsync(connection, migration, MigrationDirection.Up, cancellationToken).ConfigureAwait(false));
        }

        return new MigrationResult(applied, history.Count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// A dry run of <see cref="MigrateAsync"/>: reads and validates the history, and returns exactly the SQL a run
    /// would send now, without taking the lock or changing anything. <see cref="MigrationPlan.ToSql"/> prints it.
    /// </summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The pending migrations and their commands; empty when the database is up to date.</returns>
    /// <exception cref="SchemaMigrationException">The history and the code disagree, as <see cref="MigrateAsync"/> would report.</exception>
    public async Task<MigrationPlan> PlanMigrationAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        var pending = HistoryValidator.Pending(_catalog, history.Rows);
        var setup = new List<string>();
        if (history.Rows is null)
        {
            setup.Add(SchemaMigrationsTable.Create);
        }

        if (MustMarkProduction(history))
        {
            setup.Add(SchemaMigrationsTable.MarkProduction);
        }

        return new MigrationPlan(MigrationDirection.Up, setup, pending.Select(m => MigrationExecutor.Plan(m, MigrationDirection.Up, _options)).ToArray(), _options.AdvisoryLockKey);
    }

    /// <summary>
    /// Development only: reverts, newest first, every applied migration numbered above
    /// <paramref name="toVersion"/> by running its documented Down section and removing its history row — each
    /// step in its own transaction (a <c>Transaction: none</c> migration's Down runs statement by statement, its
    /// row removed last). Everything is checked before the first step: the history, the target, and that every
    /// migration to revert documents a Down section. Holds the same advisory lock as <see cref="MigrateAsync"/>.
    /// </summary>
    /// <param name="toVersion">The last migration to keep applied, e.g. <c>007_create_api_keys</c>; <see cref="InitialVersion"/> ("0") reverts all.</param>
    /// <param name="environment">The environment the caller says the database serves; anything but development is refused.</param>
    /// <param name="cancellationToken">Stops the run; the step in progress rolls back.</param>
    /// <returns>The migrations reverted, in the order they were.</returns>
    /// <exception cref="EnvironmentRefusedException">Not development, or the database is marked production.</exception>
    /// <exception cref="RollbackNotPossibleException">The target is unknown or not applied, or a migration has no Down section.</exception>
    /// <exception cref="MigrationFailedException">A Down statement failed; that step rolled back.</exception>
    public async Task<RollbackResult> RollbackAsync(string toVersion, SchemaEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toVersion);
        if (environment != SchemaEnvironment.Development)
        {
            throw new EnvironmentRefusedException("roll back", environment, "rollback runs Down sections that drop tables and their data, so it only runs against development databases.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var migrationLock = await MigrationLock.AcquireAsync(connection, _options.AdvisoryLockKey, _options.LockWaitTimeout, cancellationToken).ConfigureAwait(false);
        var history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        RefuseProduction(history, "roll back");
        var steps = RollbackSteps(history, toVersion);
        var reverted = new List<AppliedMigration>(steps.Count);
        foreach (var migration in steps)
        {
            reverted.Add(await RunAsync(connection, migration, MigrationDirection.Down, cancellationToken).ConfigureAwait(false));
        }

        return new RollbackResult(reverted, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// A dry run of <see cref="RollbackAsync"/>: the Down SQL it would send now, checked the same way, without
    /// changing anything. Allowed in every environment, so that a production rollback procedure can be reviewed.
    /// </summary>
    /// <param name="toVersion">The last migration to keep applied; <see cref="InitialVersion"/> ("0") for all.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The migrations that would be reverted, newest first, and their commands.</returns>
    /// <exception cref="RollbackNotPossibleException">The target is unknown or not applied, or a migration has no Down section.</exception>
    public async Task<MigrationPlan> PlanRollbackAsync(string toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toVersion);
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        var steps = RollbackSteps(history, toVersion);
        return new MigrationPlan(MigrationDirection.Down, [], steps.Select(m => MigrationExecutor.Plan(m, MigrationDirection.Down, _options)).ToArray(), _options.AdvisoryLockKey);
    }

    /// <summary>
    /// Runs, in order, every seed whose <c>-- Environment:</c> header names <paramref name="environment"/>, each in
    /// its own transaction. Seeds insert with ON CONFLICT DO NOTHING, so running them again inserts nothing.
    /// Production is refused before anything is sent to the database, and so is a database marked production.
    /// </summary>
    /// <param name="environment">The environment the database serves.</param>
    /// <param name="cancellationToken">Stops the run; the seed in progress rolls back.</param>
    /// <returns>The seeds that ran and the rows they inserted.</returns>
    /// <exception cref="EnvironmentRefusedException">The environment is production, or the database is marked production.</exception>
    public async Task<SeedResult> SeedAsync(SchemaEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (environment == SchemaEnvironment.Production)
        {
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        RefuseProduction(await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false), "seed");
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

    /// <summary>Reads which migrations are applied (with their recorded checksums and times), which are pending, and whether the database is marked production.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Every migration the code or the database knows, in version order.</returns>
    public async Task<SchemaStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var history = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        var recorded = (history.Rows ?? []).ToDictionary(r => r.Version, StringComparer.Ordinal);
        var statuses = new List<MigrationStatus>();
        foreach (var migration in _catalog.Migrations)
        {
            statuses.Add(recorded.Remove(migration.Version, out var row)
                ? new MigrationStatus(migration.Version, row.Checksum == migration.Checksum ? MigrationState.Applied : MigrationState.ChecksumMismatch, migration.Checksum, row.Checksum, row.AppliedAt)
                : new MigrationStatus(migration.Version, MigrationState.Pending, migration.Checksum, null, null));
        }

        statuses.AddRange(recorded.Values.Select(row => new MigrationStatus(row.Version, MigrationState.Unknown, null, row.Checksum, row.AppliedAt)));
        return new SchemaStatus(statuses.OrderBy(s => s.Version, StringComparer.Ordinal).ToArray()) { IsProduction = history.IsProduction };
    }

    /// <summary>
    /// Development only: drops the current schema (normally <c>public</c>) with everything in it, history
    /// included, and recreates it empty. Follow with <see cref="MigrateAsync"/> and <see cref="SeedAsync"/>.
    /// </summary>
    /// <param name="environment">The environment the caller says the database serves; anything but development is refused.</param>
    /// <param name="cancellationToken">Stops the reset; it runs in one transaction.</param>
    /// <returns>A task that completes when the schema is empty.</returns>
    /// <exception cref="EnvironmentRefusedException">The environment is not development, or the database is marked production.</exception>
    public async Task ResetAsync(SchemaEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (environment != SchemaEnvironment.Development)
        {
            throw new EnvironmentRefusedException("reset", environment, "reset drops every table and its data, so it only runs against development databases.");
        }

        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var migrationLock = await MigrationLock.AcquireAsync(connection, _options.AdvisoryLockKey, _options.LockWaitTimeout, cancellationToken).ConfigureAwait(false);
        RefuseProduction(await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false), "reset");
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

    private bool MustMarkProduction(HistorySnapshot history) => MustMarkProduction(history.IsProduction);

    private bool MustMarkProduction(bool isProduction) =>
        _options.Environment == SchemaEnvironment.Production && !isProduction;

    /// <summary>Nothing pending: marks the database production when asked to and it is not yet, and reports.</summary>
    private async Task<MigrationResult> UpToDateAsync(NpgsqlConnection connection, bool isProduction, int applied, long started, CancellationToken cancellationToken)
    {
        if (MustMarkProduction(isProduction))
        {
            await MarkProductionAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        // Every start of every instance comes here: without a logger, it does not initialise the log messages.
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.UpToDate(_logger, applied);
        }

        return new MigrationResult([], applied, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Whether the history is exactly the catalogue, decided by the server in one round trip
    /// (<see cref="SchemaMigrationsTable.SelectIsCurrent"/>), with the production marker when this run may have to set
    /// it. "No" is only a reason to read the rows: it is also the answer of a server without the hash function
    /// (before PostgreSQL 11), which is not asked.
    /// </summary>
    private async Task<UpToDateCheck> CheckUpToDateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.PostgreSqlVersion.Major < SchemaMigrationsTable.DigestMinimumMajorVersion)
        {
            return new UpToDateCheck(TableExists: true, IsCurrent: false, IsProduction: false);
        }

        var withMarker = _options.Environment == SchemaEnvironment.Production;
        await using var command = new NpgsqlCommand(SchemaMigrationsTable.SelectIsCurrent(_catalog.HistoryDigest, withMarker), connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var isProduction = withMarker && !reader.IsDBNull(1) && reader.GetString(1) == SchemaMigrationsTable.ProductionMarker;
            return new UpToDateCheck(TableExists: true, IsCurrent: reader.GetBoolean(0), isProduction);
        }
        catch (PostgresException ex) when (ex.SqlState == SchemaMigrationsTable.UndefinedTable)
        {
            return new UpToDateCheck(TableExists: false, IsCurrent: false, IsProduction: false);
        }
    }

    private async Task<AppliedMigration> RunAsync(NpgsqlConnection connection, Migration migration, MigrationDirection direction, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await MigrationExecutor.RunAsync(connection, migration, direction, _options, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationFailedException ex)
        {
            Log.MigrationFailed(_logger, ex, migration.Version);
            throw;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        if (direction == MigrationDirection.Up)
        {
            Log.MigrationApplied(_logger, migration.Version, duration.TotalMilliseconds);
        }
        else
        {
            Log.MigrationRolledBack(_logger, migration.Version, duration.TotalMilliseconds);
        }

        return new AppliedMigration(migration.Version, duration);
    }

    /// <summary>
    /// Under the lock, once the history validated: the history table, the production marker when asked for, and
    /// (PostgreSQL 14+) a session setting that ends this session soon after this process dies mid-statement, so
    /// that its lock and open transaction do not outlive it. One round trip.
    /// </summary>
    private async Task SetUpAsync(NpgsqlConnection connection, HistorySnapshot history, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand(SchemaMigrationsTable.Create) } };
        if (MustMarkProduction(history))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SchemaMigrationsTable.MarkProduction));
        }

        if (connection.PostgreSqlVersion.Major >= 14)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(ClientCheck));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (MustMarkProduction(history))
        {
            Log.MarkedProduction(_logger);
        }
    }

    private async Task MarkProductionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SchemaMigrationsTable.MarkProduction, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Log.MarkedProduction(_logger);
    }

    private static void RefuseProduction(HistorySnapshot history, string operation)
    {
        if (history.IsProduction)
        {
            throw new EnvironmentRefusedException(
                operation,
                SchemaEnvironment.Production,
                $"the database is marked production (a migrate run with environment production left the comment '{SchemaMigrationsTable.ProductionMarker}' on schema_migrations), whatever environment this call named. " +
                "If it really is not production, remove the marker by hand: COMMENT ON TABLE schema_migrations IS NULL.");
        }
    }

    /// <summary>The applied migrations above the target, newest first; everything checked before anything runs.</summary>
    private List<Migration> RollbackSteps(HistorySnapshot history, string toVersion)
    {
        HistoryValidator.Pending(_catalog, history.Rows);
        var applied = (history.Rows ?? []).Select(r => _catalog.Find(r.Version)!).OrderByDescending(m => m.Number).ToList();
        var floor = -1;
        if (toVersion != InitialVersion)
        {
            var target = _catalog.Find(toVersion) ?? throw new RollbackNotPossibleException(
                $"Cannot roll back to {toVersion}: the code has no migration of that version. Name an applied version (see status) or {InitialVersion} to revert everything. Nothing was changed.",
                toVersion);
            if (!applied.Contains(target))
            {
                throw new RollbackNotPossibleException(
                    $"Cannot roll back to {toVersion}: it is not applied to this database, so there is nothing to roll back to. Name an applied version (see status) or {InitialVersion}. Nothing was changed.",
                    toVersion);
            }

            floor = target.Number;
        }

        var steps = applied.Where(m => m.Number > floor).ToList();
        if (steps.FirstOrDefault(m => m.Down is null) is { } irreversible)
        {
            throw new RollbackNotPossibleException(
                $"Cannot roll back {irreversible.Version} ({irreversible.Path}): the file documents no Down section. " +
                "Add the undoing SQL under '-- Down Migration (commented, for reference)' in a new build, or roll back to a version above it. Nothing was changed.",
                irreversible.Version);
        }

        return steps;
    }

    /// <summary>The history and the production marker, in one round trip; rows are null when <c>schema_migrations</c> does not exist yet.</summary>
    private static async Task<HistorySnapshot> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new NpgsqlBatchCommand(SchemaMigrationsTable.SelectMarker), new NpgsqlBatchCommand(SchemaMigrationsTable.SelectAll) },
        };
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var isProduction = !reader.IsDBNull(0) && reader.GetString(0) == SchemaMigrationsTable.ProductionMarker;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<HistoryRow>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new HistoryRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return new HistorySnapshot(rows, isProduction);
        }
        catch (PostgresException ex) when (ex.SqlState == SchemaMigrationsTable.UndefinedTable)
        {
            return HistorySnapshot.Missing;
        }
    }

    /// <summary>A class, not a struct: an async method returning a struct gets machinery of its own to compile on the first call.</summary>
    private sealed record UpToDateCheck(bool TableExists, bool IsCurrent, bool IsProduction);
}
