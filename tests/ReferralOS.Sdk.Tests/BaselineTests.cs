using Npgsql;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 14.3: <see cref="SchemaMigrator.BaselineAsync"/> adopts a database that already has what some migrations
/// create — records them as applied, with their checksums, without running them — and refuses, changing nothing, what
/// would make the history wrong.
/// </summary>
public sealed class BaselineTests(PostgresServerFixture postgres)
{
    /// <summary>Four migrations, none of them idempotent: a migration that ran on a database that already has its table fails.</summary>
    private static readonly MigrationCatalog Catalog = TestCatalog.Of(
        TestCatalog.Migration(1, "CREATE TABLE accounts (id int);", name: "accounts"),
        TestCatalog.Migration(2, "CREATE TABLE invoices (id int);", name: "invoices"),
        TestCatalog.Migration(3, "CREATE TABLE payments (id int);", name: "payments"),
        TestCatalog.Migration(4, "CREATE TABLE refunds (id int);", name: "refunds"));

    /// <summary>What the database already has before it is baselined: the tables of the first two migrations, made by some other means.</summary>
    private const string FirstTwoByHand = "CREATE TABLE accounts (id int); CREATE TABLE invoices (id int);";

    [Fact]
    public async Task Baseline_records_every_migration_up_to_the_version_with_its_compiled_checksum_and_runs_none()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, FirstTwoByHand);

        var result = await new SchemaMigrator(Catalog, database.DataSource).BaselineAsync("002_invoices", TestContext.Current.CancellationToken);

        Assert.Equal(["001_accounts", "002_invoices"], result.Recorded.Select(m => m.Version));
        Assert.Equal("002_invoices", result.Last.Version);
        Assert.Equal(Catalog.Migrations.Take(2).Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        Assert.Equal(["accounts", "invoices", "schema_migrations"], await Sql.TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task Migrate_after_a_baseline_applies_only_the_migrations_above_it()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, FirstTwoByHand);
        var migrator = new SchemaMigrator(Catalog, database.DataSource);

        await migrator.BaselineAsync("002_invoices", TestContext.Current.CancellationToken);
        var migrated = await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["003_payments", "004_refunds"], migrated.Applied.Select(a => a.Version));
        Assert.Equal(2, migrated.AlreadyApplied);
        Assert.True((await migrator.StatusAsync(TestContext.Current.CancellationToken)).IsUpToDate);
    }

    [Fact]
    public async Task Baseline_refuses_a_database_that_already_records_one_of_the_migrations_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Catalog.Migrations[0]), TestDatabaseOptions.SchemaOnly);
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(Catalog, database.DataSource).BaselineAsync("002_invoices", TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.AlreadyRecorded, refused.Reason);
        Assert.Equal(["001_accounts"], refused.Versions);
        Assert.StartsWith("Refused to baseline to 002_invoices: public.schema_migrations already records 001_accounts, which the baseline would record.", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_refuses_a_version_the_code_does_not_have_and_creates_no_history_table()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(Catalog, database.DataSource).BaselineAsync("002_invoice", TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.UnknownVersion, refused.Reason);
        Assert.Equal(["002_invoice"], refused.Versions);
        Assert.Equal(
            "Cannot baseline to 002_invoice: the code has no migration of that version. Name the last migration the database already has, as its file is named without .sql (status lists them, e.g. 004_refunds). Nothing was changed.",
            refused.Message);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_validates_the_recorded_history_as_migrate_does()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Catalog.Migrations[0]), TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "INSERT INTO schema_migrations (version, checksum) VALUES ('009_from_newer_code', 'abc')");
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var unknown = await Assert.ThrowsAsync<UnknownAppliedMigrationException>(
            () => new SchemaMigrator(Catalog, database.DataSource).BaselineAsync("004_refunds", TestContext.Current.CancellationToken));

        Assert.Equal(["009_from_newer_code"], unknown.Versions);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_refuses_to_leave_a_migration_pending_below_a_recorded_one()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);
        await RecordByHandAsync(database.DataSource, Catalog.Migrations[3]);
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(Catalog, database.DataSource).BaselineAsync("002_invoices", TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.WouldLeaveGap, refused.Reason);
        Assert.Equal(["003_payments"], refused.Versions);
        Assert.StartsWith("Refused to baseline to 002_invoices: 003_payments would stay pending below 004_refunds, which public.schema_migrations records, and migrate refuses such a history.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_up_to_the_first_recorded_migration_fills_the_history_below_it()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);
        await RecordByHandAsync(database.DataSource, Catalog.Migrations[3]);
        var migrator = new SchemaMigrator(Catalog, database.DataSource);

        var result = await migrator.BaselineAsync("003_payments", TestContext.Current.CancellationToken);

        Assert.Equal(["001_accounts", "002_invoices", "003_payments"], result.Recorded.Select(m => m.Version));
        Assert.True((await migrator.StatusAsync(TestContext.Current.CancellationToken)).IsUpToDate);
    }

    [Fact]
    public async Task Baseline_creates_a_history_table_of_its_own_schema_when_the_options_name_one()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);

        await new SchemaMigrator(Catalog, database.DataSource, new MigrationOptions { HistoryTable = "referralos.schema_migrations" })
            .BaselineAsync("001_accounts", TestContext.Current.CancellationToken);

        Assert.Equal(
            [("001_accounts", Catalog.Migrations[0].Checksum)],
            await Sql.ListAsync(database.DataSource, "SELECT version, checksum FROM referralos.schema_migrations", r => (r.GetString(0), r.GetString(1))));
        Assert.Empty(await Sql.TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_waits_for_the_migration_lock_and_records_nothing_when_it_does_not_get_it()
    {
        await using var database = await postgres.CreateDatabaseAsync(Catalog, TestDatabaseOptions.Empty);
        await using var holder = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(holder, $"SELECT pg_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey})");
        var before = await DatabaseState.ReadAsync(database.DataSource);

        await Assert.ThrowsAsync<MigrationLockTimeoutException>(
            () => new SchemaMigrator(Catalog, database.DataSource, new MigrationOptions { LockWaitTimeout = TimeSpan.FromMilliseconds(200) })
                .BaselineAsync("002_invoices", TestContext.Current.CancellationToken));

        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
        await Sql.ExecuteAsync(holder, "SELECT pg_advisory_unlock_all()");
    }

    /// <summary>A history in which only <paramref name="migration"/> is recorded, in the specification's table.</summary>
    private static Task RecordByHandAsync(NpgsqlDataSource dataSource, Migration migration) => Sql.ExecuteAsync(
        dataSource,
        "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), checksum VARCHAR(64) NOT NULL); " +
        $"INSERT INTO schema_migrations (version, checksum) VALUES ('{migration.Version}', '{migration.Checksum}')");
}
