using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 5.4: the history is checked against the code before anything runs, each disagreement a typed exception
/// naming versions and what to do; and an up-to-date call does the least work possible.
/// </summary>
public sealed class ValidationTests(PostgresServerFixture postgres)
{
    /// <summary>The real schema plus one pending migration: a refused run must not apply it.</summary>
    private static readonly MigrationCatalog SchemaWithPending = new(
        [.. ReferralOsSchema.Migrations, TestCatalog.Migration(11, "CREATE TABLE must_not_exist (id int);", name: "pending")],
        []);

    [Fact]
    public async Task Migrate_refuses_when_applied_checksum_differs()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        const string recorded = "0000000000000000000000000000000000000000000000000000000000000000";
        await Sql.ExecuteAsync(database.DataSource, $"UPDATE schema_migrations SET checksum = '{recorded}' WHERE version = '003_create_users'");
        var before = await StateAsync(database.DataSource);

        var mismatch = await Assert.ThrowsAsync<MigrationChecksumMismatchException>(() => SchemaMigrator.MigrateAsync(SchemaWithPending, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        var compiled = ReferralOsSchema.Catalog.Find("003_create_users")!.Checksum;
        Assert.Equal(("003_create_users", recorded, compiled), (mismatch.Version, mismatch.AppliedChecksum, mismatch.CompiledChecksum));
        Assert.Contains($"Migration 003_create_users (execution/migrations/003_create_users.sql) was edited after it was applied: the database records checksum {recorded} but the file now has {compiled}, so migrate refuses to run.", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("Restore the file as it was (git history has it) and put the change in a new migration. Nothing was applied.", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(database.DataSource));
    }

    [Fact]
    public async Task Migrate_refuses_an_edited_checksum_when_nothing_is_pending()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var compiled = ReferralOsSchema.Catalog.Find("010_create_indexes")!.Checksum;
        var recorded = string.Concat(compiled.AsSpan(0, 63), compiled.EndsWith('0') ? "1" : "0");
        await Sql.ExecuteAsync(database.DataSource, $"UPDATE schema_migrations SET checksum = '{recorded}' WHERE version = '010_create_indexes'");

        var mismatch = await Assert.ThrowsAsync<MigrationChecksumMismatchException>(() => ReferralOsSchema.MigrateAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("010_create_indexes", recorded, compiled), (mismatch.Version, mismatch.AppliedChecksum, mismatch.CompiledChecksum));
    }

    [Fact]
    public async Task Migrate_refuses_when_the_database_holds_a_version_the_code_does_not_know()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "INSERT INTO schema_migrations (version, checksum) VALUES ('012_from_newer_code', 'abc')");
        var before = await StateAsync(database.DataSource);

        var unknown = await Assert.ThrowsAsync<UnknownAppliedMigrationException>(() => SchemaMigrator.MigrateAsync(SchemaWithPending, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["012_from_newer_code"], unknown.Versions);
        Assert.Contains("The database has applied 012_from_newer_code, which this code does not know: the code is older than the database", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Deploy the code that contains these migrations", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(database.DataSource));
    }

    [Fact]
    public async Task Migrate_refuses_a_gap_in_the_applied_history()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DELETE FROM schema_migrations WHERE version = '005_create_referrals'");
        var before = await StateAsync(database.DataSource);

        var gap = await Assert.ThrowsAsync<MigrationHistoryGapException>(() => SchemaMigrator.MigrateAsync(SchemaWithPending, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("005_create_referrals", "004_create_referral_codes", "006_create_rewards_ledger"), (gap.Version, gap.EarlierAppliedVersion, gap.LaterAppliedVersion));
        Assert.Contains("The applied history has a gap: migration 005_create_referrals (execution/migrations/005_create_referrals.sql) is not applied, but 004_create_referral_codes below it and 006_create_rewards_ledger above it are.", gap.Message, StringComparison.Ordinal);
        Assert.Contains($"INSERT INTO schema_migrations (version, checksum) VALUES ('005_create_referrals', '{ReferralOsSchema.Catalog.Find("005_create_referrals")!.Checksum}')", gap.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(database.DataSource));
    }

    [Fact]
    public async Task Migrate_refuses_a_pending_migration_numbered_below_every_applied_one()
    {
        var first = TestCatalog.Migration(1, "CREATE TABLE first_one (id int);", name: "first");
        var second = TestCatalog.Migration(2, "CREATE TABLE second_one (id int);", name: "second");
        var third = TestCatalog.Migration(3, "CREATE TABLE third_one (id int);", name: "third");
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(second, third), TestDatabaseOptions.SchemaOnly);
        var before = await StateAsync(database.DataSource);

        var outOfOrder = await Assert.ThrowsAsync<MigrationOutOfOrderException>(() => SchemaMigrator.MigrateAsync(TestCatalog.Of(first, second, third), database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("001_first", "002_second"), (outOfOrder.Version, outOfOrder.LaterAppliedVersion));
        Assert.Contains("Migration 001_first (execution/migrations/001_first.sql) is pending below 002_second, the first migration this database applied", outOfOrder.Message, StringComparison.Ordinal);
        Assert.Contains("renumber it above the last applied migration", outOfOrder.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MissingMigrationException>(outOfOrder);
        Assert.Equal(before, await StateAsync(database.DataSource));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_up_to_date_migrate_is_one_round_trip_and_takes_no_lock()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await using var counter = new RoundTripCounter(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(counter.ConnectionString);
        var migrator = new SchemaMigrator(ReferralOsSchema.Catalog, dataSource, new MigrationOptions { Environment = DatabaseEnvironment.Production });
        await migrator.MigrateAsync(TestContext.Current.CancellationToken); // opens the pooled connection and marks production
        await using var otherInstance = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(otherInstance, $"SELECT pg_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey})");
        counter.Reset();

        var result = await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.True(result.WasUpToDate);
        Assert.Equal(1, counter.RoundTrips);
        TestContext.Current.TestOutputHelper?.WriteLine($"Up-to-date MigrateAsync: {counter.RoundTrips} round trip(s) for {ReferralOsSchema.Migrations.Count} migrations.");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_up_to_date_check_is_one_round_trip_whatever_the_length_of_the_versions()
    {
        // The server and the runtime hash each "version checksum" pair alike; names of 1 to 12 letters give the pairs
        // every length modulo the hash's 12-byte block, so each way of hashing a tail is covered.
        var catalog = TestCatalog.Of([.. Enumerable.Range(1, 12).Select(n => TestCatalog.Migration(n, $"SELECT {n};", name: new string('v', n)))]);
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.SchemaOnly);
        await using var counter = new RoundTripCounter(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(counter.ConnectionString);
        await Sql.ExecuteAsync(dataSource, "SELECT 1");
        counter.Reset();

        var result = await SchemaMigrator.MigrateAsync(catalog, dataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((true, 12), (result.WasUpToDate, result.AlreadyApplied));
        Assert.Equal(1, counter.RoundTrips);
    }

    [Fact]
    public async Task An_empty_catalog_is_up_to_date_against_an_empty_history_and_not_against_a_recorded_one()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), checksum VARCHAR(64) NOT NULL)");
        var empty = TestCatalog.Of();

        var result = await SchemaMigrator.MigrateAsync(empty, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(database.DataSource, "INSERT INTO schema_migrations (version, checksum) VALUES ('001_from_newer_code', 'abc')");

        Assert.Equal((true, 0), (result.WasUpToDate, result.AlreadyApplied));
        await Assert.ThrowsAsync<UnknownAppliedMigrationException>(() => SchemaMigrator.MigrateAsync(empty, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_up_to_date_migrate_builds_no_migration_of_a_lazy_catalog()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var builds = 0;
        var lazy = new MigrationCatalog(
            string.Join('\n', ReferralOsSchema.Migrations.Select(m => m.Version + " " + m.Checksum)),
            () =>
            {
                builds++;
                return ReferralOsSchema.Migrations;
            },
            () => []);

        var result = await SchemaMigrator.MigrateAsync(lazy, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((true, 10, 0), (result.WasUpToDate, result.AlreadyApplied, builds));
        Assert.Equal(ReferralOsSchema.Migrations, lazy.Migrations);
        Assert.Equal(1, builds);
    }

    [Fact]
    public void A_lazy_catalog_whose_history_lines_disagree_with_its_migrations_refuses_to_build_them()
    {
        var lazy = new MigrationCatalog("001_create_extensions 0000", () => ReferralOsSchema.Migrations, () => []);

        var refused = Assert.Throws<InvalidOperationException>(() => lazy.Migrations);

        Assert.Contains("Rebuild the project that compiles the catalog", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Round_trip_counter_counts_one_per_command_batch_and_commit()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await using var counter = new RoundTripCounter(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(counter.ConnectionString);
        await Sql.ExecuteAsync(dataSource, "SELECT 1");
        counter.Reset();

        await Sql.ExecuteAsync(dataSource, "SELECT 1");
        await Sql.ExecuteAsync(dataSource, "SELECT 2");
        await using (var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var batch = new NpgsqlBatch(connection) { BatchCommands = { new("SELECT 1"), new("SELECT 2"), new("SELECT 3") } })
        {
            await batch.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using (var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await Sql.ExecuteAsync(connection, "SELECT 1"); // BEGIN travels with it
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(5, counter.RoundTrips);
    }

    [Fact]
    public async Task A_fresh_migrate_of_the_schema_is_two_round_trips_per_transactional_migration_and_one_per_statement_of_a_transaction_none_one()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await using var counter = new RoundTripCounter(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(counter.ConnectionString);
        await Sql.ExecuteAsync(dataSource, "SELECT 1");
        counter.Reset();

        await ReferralOsSchema.MigrateAsync(dataSource, cancellationToken: TestContext.Current.CancellationToken);

        // Check (the table does not exist), take the lock, read the history's state, set up; BEGIN+batch and COMMIT per
        // transactional file; for the Transaction: none file its INVALID-index checks before and after, its timeouts,
        // each statement, and its history row with the resets; release the lock.
        var transactional = ReferralOsSchema.Migrations.Where(m => m.TransactionMode == MigrationTransactionMode.Transactional).ToArray();
        var statementByStatement = ReferralOsSchema.Migrations.Where(m => m.TransactionMode == MigrationTransactionMode.None).ToArray();
        Assert.Equal(4 + (2 * transactional.Length) + statementByStatement.Sum(m => m.Up.Statements.Count + 2 + (m.ConcurrentIndexes.Count > 0 ? 2 : 0)) + 1, counter.RoundTrips);
        TestContext.Current.TestOutputHelper?.WriteLine($"Fresh MigrateAsync of {ReferralOsSchema.Migrations.Count} migrations: {counter.RoundTrips} round trips.");
    }

    [Fact]
    public async Task A_dry_run_reports_the_same_refusal_as_migrate()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DELETE FROM schema_migrations WHERE version = '002_create_tenants'");

        await Assert.ThrowsAsync<MigrationHistoryGapException>(() => new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource).PlanMigrationAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Everything a refused run could have touched: the history and the tables.</summary>
    private static async Task<(string History, string Tables)> StateAsync(NpgsqlDataSource dataSource) =>
        (string.Join(",", (await Sql.HistoryAsync(dataSource)).Select(h => $"{h.Version}={h.Checksum}")), string.Join(",", await Sql.TablesAsync(dataSource)));
}
