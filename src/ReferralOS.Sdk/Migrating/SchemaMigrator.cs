using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReferralOS.Sdk.History;
using ReferralOS.Sdk.Migrating;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk;

/// <summary>
/// Applies a compiled <see cref="MigrationCatalog"/> to one database: migrate, dry runs, rollback, seed, status and
/// reset. Safe to call from every instance of an application at once; register it with
/// <c>services.AddReferralOsSchema(...)</c> or create one per database.
/// </summary>
public sealed partial class SchemaMigrator
{
    /// <summary>The rollback target that reverts every applied migration, as in <c>rollback --to 0</c>.</summary>
    public const string InitialVersion = "0";

    private readonly MigrationCatalog _catalog;
    private readonly NpgsqlDataSource _dataSource;
    private readonly MigrationOptions _options;
    private readonly ILogger _logger;
    private readonly HistoryTable _table;

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
        _table = HistoryTable.Parse(_options.HistoryTable);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Applies every pending migration of a catalog; see <see cref="MigrateAsync(CancellationToken)"/>. The generated <c>MigrateAsync</c> calls this.</summary>
    /// <param name="catalog">The compiled migrations and seeds, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="options">Timeouts and lock settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run; the migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    public static Task<MigrationResult> MigrateAsync(MigrationCatalog catalog, NpgsqlDataSource dataSource, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(catalog, dataSource, options).MigrateAsync(cancellationToken);

    /// <summary>Applies every pending migration of a catalog to the database a connection string names.</summary>
    /// <param name="catalog">The compiled migrations and seeds.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Timeouts and lock settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run; the migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    public static async Task<MigrationResult> MigrateAsync(MigrationCatalog catalog, string connectionString, MigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var dataSource = DataSources.Create(connectionString);
        return await MigrateAsync(catalog, dataSource, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a catalog's seeds meant for the environment; see <see cref="SeedAsync(DatabaseEnvironment, CancellationToken)"/>. The generated <c>SeedAsync</c> calls this.</summary>
    /// <param name="catalog">The compiled migrations and seeds.</param>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="environment">The environment the database serves.</param>
    /// <param name="cancellationToken">Stops the run; the seed in progress rolls back.</param>
    /// <returns>The seeds that ran.</returns>
    public static Task<SeedResult> SeedAsync(MigrationCatalog catalog, NpgsqlDataSource dataSource, DatabaseEnvironment environment, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(catalog, dataSource).SeedAsync(environment, cancellationToken);

    /// <summary>Reads a catalog's applied and pending migrations; see <see cref="StatusAsync(CancellationToken)"/>. The generated <c>StatusAsync</c> calls this.</summary>
    /// <param name="catalog">The compiled migrations and seeds.</param>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The status of every migration.</returns>
    public static Task<SchemaStatus> StatusAsync(MigrationCatalog catalog, NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        new SchemaMigrator(catalog, dataSource).StatusAsync(cancellationToken);

    /// <summary>
    /// Applies every pending migration in number order. When the database is up to date this is one round trip that
    /// takes no lock and ships no history row: the server compares the history with the catalog (its row count and
    /// a sum of hashes of each version and checksum) and answers yes or no. Otherwise the history is read and
    /// validated, and the call takes the migration lock — a session advisory lock on a direct connection, a lease row
    /// with a fencing token behind a pooler (polling while another instance migrates either way) — reads the
    /// history again, validates it, and applies what is still pending: a transactional migration together with its
    /// history row in one transaction, a <c>Transaction: none</c> one statement by statement with its row written
    /// last, once every index it builds is valid. The first failure stops the run with nothing of the failing
    /// migration recorded.
    /// </summary>
    /// <param name="cancellationToken">Stops the run; a transactional migration in progress rolls back.</param>
    /// <returns>What was applied.</returns>
    /// <exception cref="MigrationChecksumMismatchException">An applied migration's file was edited.</exception>
    /// <exception cref="UnknownAppliedMigrationException">The database has migrations the code does not know.</exception>
    /// <exception cref="MissingMigrationException">A migration is pending below an applied one.</exception>
    /// <exception cref="InvalidHistoryException">The history table has another tool's layout, or a row without a checksum.</exception>
    /// <exception cref="InvalidIndexException">An index a <c>Transaction: none</c> migration builds exists INVALID.</exception>
    /// <exception cref="InsufficientPrivilegeException">The role may not create the history table.</exception>
    /// <exception cref="TransactionPoolingException">The connection goes through a pooler that was not recognised as one, or one with Max Auto Prepare set.</exception>
    /// <exception cref="MigrationLeaseLostException">Behind a pooler, the run stalled past its lease and another instance took it over; nothing of the migration in progress was committed.</exception>
    /// <exception cref="MigrationFailedException">A statement failed, or the connection was lost.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another instance held the lock too long.</exception>
    /// <exception cref="MigrationCanceledException">Cancelled while a migration ran; the message says what that leaves.</exception>
    /// <exception cref="DatabaseConnectionException">The database could not be reached.</exception>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);

        // The common case on every start: everything applied. One round trip, no lock, no history rows.
        var check = await CheckUpToDateAsync(connection, cancellationToken).ConfigureAwait(false);
        if (check.IsCurrent)
        {
            return await UpToDateAsync(connection, _table, check.IsProduction, _catalog.HistoryDigest.Count, started, cancellationToken).ConfigureAwait(false);
        }

        // Something to do, or something wrong: read and validate every row before taking the lock, so that an edited
        // or unknown migration is reported at once. (A table the check found missing has nothing to validate.)
        var history = check.FoundNoTable ? null : await ReadHistoryAsync(connection, guard: null, cancellationToken, knownToExist: check.TableExists).ConfigureAwait(false);
        if (history?.Rows is not null && HistoryValidator.Pending(_catalog, history).Count == 0)
        {
            return await UpToDateAsync(connection, history.Table, history.IsMarkedHere, history.Count, started, cancellationToken).ConfigureAwait(false);
        }

        var migrationLock = await MigrationLock.AcquireAsync(connection, _dataSource, _table, _options, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            // Another instance may have done the work while this one waited.
            history = await ReadHistoryAsync(connection, migrationLock, cancellationToken, knownToExist: history?.Exists == true, captureSession: true).ConfigureAwait(false);
            var pending = HistoryValidator.Pending(_catalog, history);
            var run = new MigrationRun(connection, migrationLock, await SetUpAsync(connection, migrationLock, history, cancellationToken).ConfigureAwait(false), _options, history.Session!);
            if (pending.Count > 0)
            {
                Log.Applying(_logger, pending.Count, pending[0].Version);
            }

            var applied = new List<AppliedMigration>(pending.Count);
            foreach (var migration in pending)
            {
                applied.Add(await RunAsync(run, migration, MigrationDirection.Up, cancellationToken).ConfigureAwait(false));
            }

            await ReleaseAsync(migrationLock, applied.Count == 0 ? "finding nothing left to apply" : $"applying {applied.Count} migration(s)").ConfigureAwait(false);
            return new MigrationResult(applied, history.Count, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// A dry run of <see cref="MigrateAsync(CancellationToken)"/>: reads and validates the history, and returns exactly the SQL a run
    /// would send now, without taking the lock or changing anything. <see cref="MigrationPlan.ToSql"/> prints it.
    /// </summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The pending migrations and their commands; empty when the database is up to date.</returns>
    /// <exception cref="MigrationException">The history and the code disagree, as <see cref="MigrateAsync(CancellationToken)"/> would report.</exception>
    public async Task<MigrationPlan> PlanMigrationAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var history = await ReadHistoryAsync(connection, guard: null, cancellationToken, captureSession: true).ConfigureAwait(false);
        var pending = HistoryValidator.Pending(_catalog, history);
        var setup = new List<string>();
        var table = history.Table;
        if (history.Rows is null)
        {
            table = CreationTarget(history);
            setup.AddRange(table.Create(withSchema: history.CanCreateInSchema is null));
        }

        if (MustMarkProduction(history.IsMarkedHere))
        {
            setup.Add(table.MarkProduction);
        }

        return new MigrationPlan(MigrationDirection.Up, setup, pending.Select(m => MigrationExecutor.Plan(table, history.Session!, m, MigrationDirection.Up, _options)).ToArray(), _options.AdvisoryLockKey);
    }

    /// <summary>
    /// Development only: reverts, newest first, every applied migration numbered above
    /// <paramref name="toVersion"/> by running its documented Down section and removing its history row — each
    /// step in its own transaction (a <c>Transaction: none</c> migration's Down runs statement by statement, its
    /// row removed last). Everything is checked before the first step: the history, the target, and that every
    /// migration to revert documents a Down section. Holds the same advisory lock as <see cref="MigrateAsync(CancellationToken)"/>.
    /// </summary>
    /// <param name="toVersion">The last migration to keep applied, e.g. <c>007_create_api_keys</c>; <see cref="InitialVersion"/> ("0") reverts all.</param>
    /// <param name="environment">The environment the caller says the database serves; anything but development is refused.</param>
    /// <param name="cancellationToken">Stops the run; the step in progress rolls back.</param>
    /// <returns>The migrations reverted, in the order they were.</returns>
    /// <exception cref="EnvironmentRefusedException">Not development, or the database is marked production.</exception>
    /// <exception cref="RollbackNotPossibleException">The target is unknown or not applied, or a migration has no Down section.</exception>
    /// <exception cref="MigrationFailedException">A Down statement failed; that step rolled back.</exception>
    public async Task<RollbackResult> RollbackAsync(string toVersion, DatabaseEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toVersion);
        if (environment != DatabaseEnvironment.Development)
        {
            throw new EnvironmentRefusedException("roll back", environment, "rollback runs Down sections that drop tables and their data, so it only runs against development databases.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var migrationLock = await MigrationLock.AcquireAsync(connection, _dataSource, _table, _options, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            var history = await ReadHistoryAsync(connection, migrationLock, cancellationToken, captureSession: true).ConfigureAwait(false);
            RefuseProduction(history, "roll back");
            var steps = RollbackSteps(history, toVersion);
            var run = new MigrationRun(connection, migrationLock, history.Table, _options, history.Session!);
            var reverted = new List<AppliedMigration>(steps.Count);
            foreach (var migration in steps)
            {
                reverted.Add(await RunAsync(run, migration, MigrationDirection.Down, cancellationToken).ConfigureAwait(false));
            }

            await ReleaseAsync(migrationLock, $"rolling back {reverted.Count} migration(s)").ConfigureAwait(false);
            return new RollbackResult(reverted, Stopwatch.GetElapsedTime(started));
        }
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
        var history = await ReadHistoryAsync(connection, guard: null, cancellationToken, captureSession: true).ConfigureAwait(false);
        var steps = RollbackSteps(history, toVersion);
        return new MigrationPlan(MigrationDirection.Down, [], steps.Select(m => MigrationExecutor.Plan(history.Table, history.Session!, m, MigrationDirection.Down, _options)).ToArray(), _options.AdvisoryLockKey);
    }

    /// <summary>
    /// Adopts a database that already has the schema some migrations create — another tool migrated it, or it was
    /// built by hand — by recording every migration up to and including <paramref name="toVersion"/> as applied, with
    /// its compiled checksum, without running any of them. <see cref="MigrateAsync(CancellationToken)"/> then applies only the rest. Holds
    /// the migration lock, creates the history table when it is missing (as migrate does), and writes every row in one
    /// transaction. Everything is checked first, and a refusal changes nothing: the history is validated as migrate
    /// validates it, and a database that already records any of these migrations, or that would be left with a
    /// migration pending below a recorded one, is refused.
    /// </summary>
    /// <param name="toVersion">The last migration the database already has, e.g. <c>342_rename_resolve_reason</c>.</param>
    /// <param name="cancellationToken">Stops the call; nothing is recorded unless its transaction committed.</param>
    /// <returns>The migrations recorded, in order.</returns>
    /// <exception cref="BaselineRefusedException">An unknown version, migrations already recorded, or a baseline that would leave a gap.</exception>
    /// <exception cref="MigrationChecksumMismatchException">A recorded migration's file was edited.</exception>
    /// <exception cref="UnknownAppliedMigrationException">The database records migrations the code does not know.</exception>
    /// <exception cref="InvalidHistoryException">The history table has another tool's layout, or a row without a checksum.</exception>
    /// <exception cref="InsufficientPrivilegeException">The role may not create the history table.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another instance held the lock too long.</exception>
    /// <exception cref="TransactionPoolingException">The connection goes through a pooler that was not recognised as one, or one with Max Auto Prepare set.</exception>
    /// <exception cref="MigrationLeaseLostException">Behind a pooler, the run stalled past its lease and another instance took it over; nothing of the migration in progress was committed.</exception>
    /// <exception cref="DatabaseConnectionException">The database could not be reached.</exception>
    public async Task<BaselineResult> BaselineAsync(string toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toVersion);
        var target = _catalog.Find(toVersion) ?? throw new BaselineRefusedException(
            $"Cannot baseline to {toVersion}: the code has no migration of that version. Name the last migration the database already has, as its file is named without .sql " +
            $"(status lists them{(_catalog.Migrations.Count > 0 ? $", e.g. {_catalog.Migrations[^1].Version}" : string.Empty)}). Nothing was changed.",
            BaselineRefusal.UnknownVersion,
            [toVersion]);

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var migrationLock = await MigrationLock.AcquireAsync(connection, _dataSource, _table, _options, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            var history = await ReadHistoryAsync(connection, migrationLock, cancellationToken).ConfigureAwait(false);
            var recorded = _catalog.Migrations.Where(m => m.Number <= target.Number).ToArray();
            await RecordBaselineAsync(connection, migrationLock, history, recorded, $"to {toVersion}", cancellationToken).ConfigureAwait(false);
            await ReleaseAsync(migrationLock, $"baselining {recorded.Length} migration(s)").ConfigureAwait(false);
            return new BaselineResult(recorded, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// <see cref="BaselineAsync"/> to exactly what another migration tool applied to this database, as its own history
    /// table records it: each row is matched to the migration whose <see cref="Migration.ImportedFrom"/> names that
    /// tool and version (the <c>-- Imported-From:</c> line <c>referralos-db import</c> wrote). Refused, with nothing
    /// changed, when the tool records a dirty or failed migration, when it applied versions no migration here was
    /// imported from, and when what it applied is not the first migrations of the catalog in order (the message names
    /// the versions). The other tool's table is only read. golang-migrate and dbmate keep theirs in
    /// <c>schema_migrations</c>, the default name of ReferralOS's own history table: give ReferralOS another with
    /// <see cref="MigrationOptions.HistoryTable"/>, or the baseline is refused.
    /// </summary>
    /// <param name="tool">The tool that migrated the database: <c>diesel</c>, <c>golang-migrate</c>, <c>flyway</c>, <c>dbmate</c>, <c>goose</c> or <c>sqlx</c>.</param>
    /// <param name="table">The tool's history table when it is not the tool's default (found through the search_path), as <c>name</c> or <c>schema.name</c>; null for the default.</param>
    /// <param name="cancellationToken">Stops the call; nothing is recorded unless its transaction committed.</param>
    /// <returns>The migrations recorded, in order.</returns>
    /// <exception cref="ArgumentException">A tool this runtime cannot read, or a table name that is not one.</exception>
    /// <exception cref="BaselineRefusedException">The tool's history cannot be baselined; <see cref="BaselineRefusedException.Reason"/> says why.</exception>
    /// <exception cref="MigrationChecksumMismatchException">A recorded migration's file was edited.</exception>
    /// <exception cref="InvalidHistoryException">ReferralOS's history table has another tool's layout, or a row without a checksum.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another instance held the lock too long.</exception>
    /// <exception cref="DatabaseConnectionException">The database could not be reached.</exception>
    public async Task<BaselineResult> BaselineFromHistoryAsync(string tool, string? table = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        var source = ForeignHistory.For(tool) ?? throw new ArgumentException(
            $"'{tool}' is not a tool whose history can be read: use {string.Join(", ", ForeignHistory.Tools)}.", nameof(tool));
        var foreignName = table ?? source.DefaultTable;
        if (_table.Schema is null && !foreignName.Contains('.', StringComparison.Ordinal) && foreignName == _table.Name)
        {
            // Both found through the same search_path: one table.
            throw Clash(source, foreignName);
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var migrationLock = await MigrationLock.AcquireAsync(connection, _dataSource, _table, _options, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            var foreign = await source.ReadAsync(connection, migrationLock, table, MetadataTimeout, cancellationToken).ConfigureAwait(false);
            if (foreign.Name == _table.Name && foreign.Schema == _table.Schema)
            {
                throw Clash(source, foreign.Display);
            }

            // An unqualified history table is wherever the search_path finds it: read (and so resolved) now. A table of
            // the same name in another schema is not the other tool's.
            var history = await ReadHistoryAsync(connection, migrationLock, cancellationToken).ConfigureAwait(false);
            if (foreign.Name == history.Table.Name && foreign.Schema == (history.Table.Schema ?? history.CreationSchema))
            {
                throw Clash(source, foreign.Display);
            }

            var recorded = source.Applied(_catalog, foreign);
            await RecordBaselineAsync(connection, migrationLock, history, recorded, $"from {source.DisplayName}'s history ({foreign.Display})", cancellationToken).ConfigureAwait(false);
            await ReleaseAsync(migrationLock, $"baselining {recorded.Count} migration(s)").ConfigureAwait(false);
            return new BaselineResult(recorded, Stopwatch.GetElapsedTime(started));
        }
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
    public async Task<SeedResult> SeedAsync(DatabaseEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (environment == DatabaseEnvironment.Production)
        {
            throw new EnvironmentRefusedException("seed", environment, "seeds hold development and test data and never run in production.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        RefuseProduction(await ReadStateAsync(connection, guard: null, cancellationToken).ConfigureAwait(false), "seed");
        var results = new List<SeededScript>();
        foreach (var seed in _catalog.Seeds.Where(s => s.RunsIn(environment)))
        {
            var seedStarted = Stopwatch.GetTimestamp();
            var rows = await Seeding.SeedExecutor.RunAsync(connection, seed, _options.StatementTimeout, cancellationToken).ConfigureAwait(false);
            var duration = Stopwatch.GetElapsedTime(seedStarted);
            results.Add(new SeededScript(seed.Version, rows, duration));
            Log.SeedRan(_logger, seed.Version, rows, duration.TotalMilliseconds);
        }

        return new SeedResult(environment, results, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Reads which migrations are applied (with their recorded checksums and times), which are pending, whether the
    /// history is one that <see cref="MigrateAsync(CancellationToken)"/> would refuse (and why), which indexes exist INVALID, and whether
    /// the database is marked production.
    /// </summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Every migration the code or the database knows, in version order.</returns>
    /// <exception cref="InvalidHistoryException">The history table has another tool's layout.</exception>
    public async Task<SchemaStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var (history, invalidIndexes, repaired) = await ReadStatusAsync(connection, cancellationToken).ConfigureAwait(false);
        var rows = history.Rows ?? [];
        var comparison = HistoryValidator.Compare(_catalog, rows);
        var statuses = comparison.Select(entry =>
        {
            var migration = entry.Code >= 0 ? _catalog.Migrations[entry.Code] : null;
            var row = entry.Recorded >= 0 ? rows[entry.Recorded] : null;
            var state = entry.Match switch
            {
                HistoryMatch.Matches when repaired.GetValueOrDefault(row!.Version) == row.Checksum => MigrationState.Repaired,
                HistoryMatch.Matches => MigrationState.Applied,
                HistoryMatch.Pending => MigrationState.Pending,
                HistoryMatch.Unknown => MigrationState.Unknown,
                _ => MigrationState.ChecksumMismatch,
            };
            return new MigrationStatus(migration?.Version ?? row!.Version, state, migration?.Checksum, row?.Checksum, row?.AppliedAt);
        });
        MigrationException? problem = null;
        try
        {
            HistoryValidator.Pending(_catalog, history, comparison);
        }
        catch (MigrationException ex)
        {
            problem = ex;
        }

        return new SchemaStatus(statuses.OrderBy(s => s.Version, StringComparer.Ordinal).ToArray())
        {
            IsProduction = history.IsProduction,
            Problem = problem,
            InvalidIndexes = invalidIndexes,
        };
    }

    /// <summary>
    /// Development only: drops the current schema (normally <c>public</c>) with everything in it, history
    /// included, and recreates it empty. Follow with <see cref="MigrateAsync(CancellationToken)"/> and <see cref="SeedAsync(DatabaseEnvironment, CancellationToken)"/>.
    /// Refused when the connection's <c>search_path</c> names no existing schema (there is then no current schema to
    /// drop, and no other is dropped in its place), and when any table, in any schema, carries the production marker
    /// (whatever history table this migrator is configured with).
    /// </summary>
    /// <param name="environment">The environment the caller says the database serves; anything but development is refused.</param>
    /// <param name="cancellationToken">Stops the reset; it runs in one transaction.</param>
    /// <returns>A task that completes when the schema is empty.</returns>
    /// <exception cref="EnvironmentRefusedException">The environment is not development, or the database is marked production.</exception>
    /// <exception cref="InvalidHistoryException">There is no current schema to reset.</exception>
    public async Task ResetAsync(DatabaseEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (environment != DatabaseEnvironment.Development)
        {
            throw new EnvironmentRefusedException("reset", environment, "reset drops every table and its data, so it only runs against development databases.");
        }

        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var migrationLock = await MigrationLock.AcquireAsync(connection, _dataSource, _table, _options, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            var state = await ReadStateAsync(connection, migrationLock, cancellationToken).ConfigureAwait(false);
            RefuseProduction(state, "reset");
            var schema = state.CurrentSchema ?? throw new InvalidHistoryException(
                "Refused to reset: the connection's search_path names no schema that exists, so there is no current schema to drop (reset never drops another in its place). " +
                "Set search_path (e.g. Search Path=public in the connection string) to the schema to reset. Nothing was changed.",
                _table.Display);

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var quoted = HistoryTable.Quote(schema);
            await using var drop = new NpgsqlBatch(connection, transaction) { Timeout = MetadataTimeout };
            drop.BatchCommands.Add(new NpgsqlBatchCommand(migrationLock.Guard));
            if (state.Table.Schema is { } historySchema && historySchema != schema)
            {
                // The history lives outside the schema being dropped: forget it too, or it would claim what no longer exists.
                drop.BatchCommands.Add(new NpgsqlBatchCommand(state.Table.Drop));
            }

            drop.BatchCommands.Add(new NpgsqlBatchCommand($"DROP SCHEMA {quoted} CASCADE"));
            drop.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE SCHEMA {quoted}"));
            drop.BatchCommands.Add(new NpgsqlBatchCommand($"GRANT USAGE ON SCHEMA {quoted} TO PUBLIC"));
            try
            {
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw await migrationLock.MovedAsync("resetting the schema").ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Log.SchemaReset(_logger, schema);
            await ReleaseAsync(migrationLock, $"resetting schema {schema}").ConfigureAwait(false);
        }
    }

    /// <summary>The client-side limit on the runtime's own short commands (history reads, the lock): the statement timeout plus a grace, never Npgsql's 30 s.</summary>
    private int MetadataTimeout => ClientTimeout.Seconds(_options.StatementTimeout);

    private bool MustMarkProduction(bool isMarked) =>
        _options.Environment == DatabaseEnvironment.Production && !isMarked;

    /// <summary>Nothing pending: marks the database production when asked to and it is not yet, and reports.</summary>
    private async Task<MigrationResult> UpToDateAsync(NpgsqlConnection connection, HistoryTable table, bool isMarked, int applied, long started, CancellationToken cancellationToken)
    {
        if (MustMarkProduction(isMarked))
        {
            await using var command = new NpgsqlCommand(table.MarkProduction, connection) { CommandTimeout = MetadataTimeout };
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Log.MarkedProduction(_logger);
        }

        // Every start of every instance comes here: without a logger, it does not initialise the log messages.
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.UpToDate(_logger, applied);
        }

        return new MigrationResult([], applied, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Whether the history is exactly the catalog, decided by the server in one round trip
    /// (<see cref="HistoryTable.SelectIsCurrent"/>), with the production marker when this run may have to set it.
    /// "No" is only a reason to read the rows: it is also the answer of a server without the hash function (before
    /// PostgreSQL 11), which is not asked, and of a table that cannot be summed (another tool's layout), which the full
    /// read then names.
    /// </summary>
    private async Task<UpToDateCheck> CheckUpToDateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.PostgreSqlVersion.Major < HistoryTable.DigestMinimumMajorVersion)
        {
            return UpToDateCheck.No;
        }

        var withMarker = _options.Environment == DatabaseEnvironment.Production;
        await using var command = new NpgsqlCommand(_table.SelectIsCurrent(_catalog.HistoryDigest, withMarker), connection) { CommandTimeout = MetadataTimeout };
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var isProduction = withMarker && !reader.IsDBNull(1) && reader.GetString(1) == HistoryTable.ProductionMarker;
            return new UpToDateCheck(IsCurrent: !reader.IsDBNull(0) && reader.GetBoolean(0), isProduction, TableExists: !reader.IsDBNull(0));
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("42", StringComparison.Ordinal))
        {
            return UpToDateCheck.No;
        }
    }

    private async Task<AppliedMigration> RunAsync(MigrationRun run, Migration migration, MigrationDirection direction, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await MigrationExecutor.RunAsync(run, migration, direction, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationException ex)
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

    /// <summary>The end of a run that held the lock: a lock left behind is said so.</summary>
    private static Task ReleaseAsync(MigrationLock migrationLock, string done) => migrationLock.ReleaseAfterAsync(done);

    /// <summary>
    /// Under the lock, once the history validated: creates the history table when it does not exist (only then, so that
    /// a role without CREATE on the schema can migrate a database whose table an administrator made), and marks the
    /// database production when asked to. Returns the history table, resolved to its schema.
    /// </summary>
    private async Task<HistoryTable> SetUpAsync(NpgsqlConnection connection, MigrationLock migrationLock, HistorySnapshot history, CancellationToken cancellationToken)
    {
        var table = history.Rows is null ? CreationTarget(history) : history.Table;
        var mark = MustMarkProduction(history.IsMarkedHere);
        if (history.Rows is not null && !mark)
        {
            return table;
        }

        // Guarded like every round trip under the lock: on another backend nothing of it is done.
        await using var batch = new NpgsqlBatch(connection) { Timeout = MetadataTimeout, BatchCommands = { new NpgsqlBatchCommand(migrationLock.Guard) } };
        if (history.Rows is null)
        {
            foreach (var statement in table.Create(withSchema: history.CanCreateInSchema is null))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }
        }

        if (mark)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(table.MarkProduction));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
        {
            throw await migrationLock.MovedAsync("creating the history table").ConfigureAwait(false);
        }

        if (mark)
        {
            Log.MarkedProduction(_logger);
        }

        return table;
    }

    /// <summary>
    /// Under the lock: checks a baseline of <paramref name="migrations"/> (the catalog's first ones) against the
    /// history, then writes it in one transaction — the guard, the history table when missing, every row in one
    /// statement, and the production marker when asked for.
    /// </summary>
    private async Task RecordBaselineAsync(NpgsqlConnection connection, MigrationLock migrationLock, HistorySnapshot history, IReadOnlyList<Migration> migrations, string what, CancellationToken cancellationToken)
    {
        HistoryValidator.CheckRecorded(_catalog, history);
        var existing = (history.Rows ?? []).Select(r => r.Version).ToHashSet(StringComparer.Ordinal);
        var already = migrations.Where(m => existing.Contains(m.Version)).Select(m => m.Version).ToArray();
        if (already.Length > 0)
        {
            throw new BaselineRefusedException(
                $"Refused to baseline {what}: {history.Table.Display} already records {ForeignHistory.List(already)}, which the baseline would record. " +
                "A baseline adopts a database that has no ReferralOS history for those migrations; this one has, so migrate already knows what it applied (see status). Nothing was changed.",
                BaselineRefusal.AlreadyRecorded,
                already);
        }

        existing.UnionWith(migrations.Select(m => m.Version));
        var last = _catalog.Migrations.LastOrDefault(m => existing.Contains(m.Version));
        if (last is not null && _catalog.Migrations.FirstOrDefault(m => m.Number < last.Number && !existing.Contains(m.Version)) is { } hole)
        {
            throw new BaselineRefusedException(
                $"Refused to baseline {what}: {hole.Version} would stay pending below {last.Version}, which {history.Table.Display} records, and migrate refuses such a history. " +
                "Baseline to a version that leaves no migration unrecorded below a recorded one (status lists what is recorded). Nothing was changed.",
                BaselineRefusal.WouldLeaveGap,
                [hole.Version]);
        }

        var table = history.Rows is null ? CreationTarget(history) : history.Table;
        var mark = MustMarkProduction(history.IsMarkedHere);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = MetadataTimeout };
        batch.BatchCommands.Add(new NpgsqlBatchCommand(migrationLock.Guard));
        if (history.Rows is null)
        {
            foreach (var statement in table.Create(withSchema: history.CanCreateInSchema is null))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(table.InsertAll)
        {
            Parameters =
            {
                new NpgsqlParameter<string[]> { TypedValue = migrations.Select(m => m.Version).ToArray() },
                new NpgsqlParameter<string[]> { TypedValue = migrations.Select(m => m.Checksum).ToArray() },
            },
        });
        if (mark)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(table.MarkProduction));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw await migrationLock.MovedAsync("recording the baseline").ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.Baselined(_logger, migrations.Count, migrations[^1].Version);
        if (mark)
        {
            Log.MarkedProduction(_logger);
        }
    }

    /// <summary>The refusal when the other tool's history table is the one ReferralOS keeps its own in.</summary>
    private BaselineRefusedException Clash(ForeignHistory source, string foreignTable) => new(
        $"{source.DisplayName} keeps its history in {foreignTable}, and so would ReferralOS ({nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)} is {_table.Display}): ReferralOS never writes into another tool's table. " +
        $"Give ReferralOS a history table of its own with {nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)} (the CLI's --history-table), e.g. referralos.schema_migrations, and use the same with every later command. Nothing was changed.",
        BaselineRefusal.HistoryTableClash,
        tool: source.Tool);

    /// <summary>Where a missing history table will be created, after checking this role may create it there.</summary>
    private HistoryTable CreationTarget(HistorySnapshot history)
    {
        var schema = history.Table.Schema ?? history.CreationSchema ?? throw new InvalidHistoryException(
            $"Cannot create the history table {_table.Display}: the connection's search_path names no schema that exists. " +
            $"Set search_path (e.g. Search Path=public in the connection string), or name the schema in {nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)} (e.g. public.{_table.Name}). Nothing was changed.",
            _table.Display);
        var table = history.Table.InSchema(schema);
        if (history.CanCreateInSchema == false)
        {
            throw new InsufficientPrivilegeException(
                $"Cannot create the history table {table.Display}: role {history.User} has no CREATE privilege on schema {schema}.",
                $"GRANT CREATE ON SCHEMA {HistoryTable.Quote(schema)} TO {HistoryTable.Quote(history.User)}");
        }

        if (history.CanCreateInSchema is null && !history.CanCreateSchema)
        {
            throw new InsufficientPrivilegeException(
                $"Cannot create the history table {table.Display}: schema {schema} does not exist and role {history.User} may not create schemas in this database.",
                $"GRANT CREATE ON DATABASE {HistoryTable.Quote(history.Database)} TO {HistoryTable.Quote(history.User)}");
        }

        return table;
    }

    private static void RefuseProduction(HistorySnapshot history, string operation)
    {
        if (history.IsProduction)
        {
            throw new EnvironmentRefusedException(
                operation,
                DatabaseEnvironment.Production,
                $"the database is marked production (a migrate run with environment production left the comment '{HistoryTable.ProductionMarker}' on its history table {(history.MarkedTable ?? history.Table).Display}), whatever environment this call named. " +
                $"If it really is not production, remove the marker by hand: {(history.MarkedTable ?? history.Table).UnmarkProduction}.");
        }
    }

    /// <summary>The applied migrations above the target, newest first; everything checked before anything runs.</summary>
    private List<Migration> RollbackSteps(HistorySnapshot history, string toVersion)
    {
        HistoryValidator.Pending(_catalog, history);
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

    /// <summary>
    /// The history table's state, without touching the table (so a missing one logs no error on the server), refusing
    /// a table of another tool's layout; with <paramref name="withRows"/>, its rows in the same round trip (asked only
    /// when the table is known to exist). With <paramref name="guard"/>, the round trip starts with the lock's guard, so
    /// it fails on any backend but the one holding the lock. With <paramref name="captureSession"/>, the session the
    /// migrations will start in (<see cref="SessionState"/>), also in the same round trip.
    /// </summary>
    private async Task<HistorySnapshot> ReadStateAsync(NpgsqlConnection connection, MigrationLock? guard, CancellationToken cancellationToken, bool withRows = false, bool captureSession = false)
    {
        await using var batch = new NpgsqlBatch(connection) { Timeout = MetadataTimeout };
        if (guard is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(guard.Guard));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(_table.SelectState()));
        if (withRows)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(_table.SelectAll));
        }

        if (captureSession)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SessionState.Capture));
        }

        HistorySnapshot snapshot;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (guard is not null)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            snapshot = ReadSnapshot(reader);
            if (withRows && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                snapshot = snapshot with { Rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false) };
            }

            if (captureSession && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                snapshot = snapshot with { Session = SessionState.Read(reader) };
            }
        }
        catch (PostgresException ex) when (guard is not null && MigrationLock.IsGuardFailure(ex))
        {
            throw await guard.MovedAsync("reading the history").ConfigureAwait(false);
        }
        catch (PostgresException ex) when (withRows && ex.SqlState.StartsWith("42", StringComparison.Ordinal))
        {
            // The rows could not be read as the runtime reads them (another tool's layout, or the table went away):
            // read the state alone, which names what is there.
            return await ReadHistoryAsync(connection, guard, cancellationToken, captureSession: captureSession).ConfigureAwait(false);
        }

        RefuseForeignLayout(snapshot);
        return snapshot;
    }

    /// <summary>The row of <see cref="HistoryTable.SelectState"/> the reader is on.</summary>
    private HistorySnapshot ReadSnapshot(NpgsqlDataReader reader)
    {
        var schema = reader.IsDBNull(0) ? null : reader.GetString(0);
        return new HistorySnapshot(
            schema is null ? _table : _table.InSchema(schema),
            Rows: null,
            IsProduction: !reader.IsDBNull(6),
            IsMarkedHere: !reader.IsDBNull(2) && reader.GetString(2) == HistoryTable.ProductionMarker)
        {
            Exists = schema is not null,
            Columns = reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
            CreationSchema = reader.IsDBNull(3) ? null : reader.GetString(3),
            CanCreateInSchema = reader.IsDBNull(4) ? null : reader.GetBoolean(4),
            CanCreateSchema = reader.GetBoolean(5),
            User = reader.GetString(7),
            Database = reader.GetString(8),
            CurrentSchema = reader.IsDBNull(9) ? null : reader.GetString(9),
            MarkedTable = reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6) is [var markedSchema, var markedName] ? HistoryTable.Of(markedSchema, markedName) : null,
        };
    }

    /// <summary>A table of the history table's name with another tool's columns is refused: the runtime never writes into it.</summary>
    private static void RefuseForeignLayout(HistorySnapshot snapshot)
    {
        if (snapshot.Exists && !HistoryTable.HasRequiredColumns(snapshot.Columns))
        {
            throw new InvalidHistoryException(
                $"The history table {snapshot.Table.Display} has another layout ({snapshot.Columns}), which looks like {HistoryTable.GuessTool(snapshot.Columns)}; " +
                $"ReferralOS.Sdk needs (version, applied_at, checksum) and never writes into another tool's table. Choose another table for ReferralOS with " +
                $"{nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)} (the CLI's --history-table), e.g. referralos_schema_migrations, and adopt what the other tool applied with baseline. Nothing was changed.",
                snapshot.Table.Display);
        }
    }

    /// <summary>
    /// The history: its state (<see cref="ReadStateAsync"/>) and, when the table exists, its rows, oldest version first —
    /// one round trip when <paramref name="knownToExist"/> (the up-to-date check found the table), else two for an existing one.
    /// </summary>
    private async Task<HistorySnapshot> ReadHistoryAsync(NpgsqlConnection connection, MigrationLock? guard, CancellationToken cancellationToken, bool knownToExist = false, bool captureSession = false)
    {
        if (knownToExist)
        {
            var both = await ReadStateAsync(connection, guard, cancellationToken, withRows: true, captureSession).ConfigureAwait(false);
            if (both.Rows is not null || !both.Exists)
            {
                return both;
            }
        }

        var state = await ReadStateAsync(connection, guard, cancellationToken, captureSession: captureSession).ConfigureAwait(false);
        if (!state.Exists)
        {
            return state;
        }

        await using var command = new NpgsqlCommand(state.Table.SelectAll, connection) { CommandTimeout = MetadataTimeout };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return state with { Rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false) };
    }

    private static async Task<List<HistoryRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<HistoryRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new HistoryRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return rows;
    }

    /// <summary>Every index in the database that is INVALID: an interrupted CREATE INDEX CONCURRENTLY, or one being built now.</summary>
    private const string SelectInvalidIndexes = "SELECT indexrelid::regclass::text FROM pg_catalog.pg_index WHERE NOT indisvalid ORDER BY 1";

    /// <summary>A class, not a struct: an async method returning a struct gets machinery of its own to compile on the first call.</summary>
    private sealed record UpToDateCheck(bool IsCurrent, bool IsProduction, bool TableExists, bool Asked = true)
    {
        /// <summary>Not asked (or not answerable): the history must be read to know anything.</summary>
        public static readonly UpToDateCheck No = new(IsCurrent: false, IsProduction: false, TableExists: false, Asked: false);

        /// <summary>The server answered that the history table does not exist.</summary>
        public bool FoundNoTable => Asked && !TableExists;
    }
}
