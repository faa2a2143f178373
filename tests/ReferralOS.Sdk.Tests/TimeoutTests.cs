using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 5.2: every migration runs under lock_timeout and statement_timeout, the options' defaults unless its file says otherwise.</summary>
public sealed class TimeoutTests(PostgresServerFixture postgres)
{
    private const string Seen = "current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout";

    [Fact]
    public async Task Each_migration_runs_under_the_default_timeouts_unless_its_file_overrides_them()
    {
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(1, $"CREATE TABLE seen AS SELECT 1 AS migration, {Seen};"),
            TestCatalog.Migration(2, $"INSERT INTO seen SELECT 2, {Seen};", lockTimeout: TimeSpan.FromSeconds(3), statementTimeout: TimeSpan.FromMinutes(2)),
            TestCatalog.Migration(3, $"INSERT INTO seen SELECT 3, {Seen};", transactionMode: MigrationTransactionMode.None, lockTimeout: TimeSpan.FromSeconds(4)),
            TestCatalog.Migration(4, $"INSERT INTO seen SELECT 4, {Seen};", transactionMode: MigrationTransactionMode.None));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        await SchemaMigrator.MigrateAsync(
            catalog,
            database.DataSource,
            new MigrationOptions { LockTimeout = TimeSpan.FromSeconds(7), StatementTimeout = TimeSpan.FromSeconds(90) },
            TestContext.Current.CancellationToken);

        Assert.Equal(
            [(1, "7s", "90s"), (2, "3s", "2min"), (3, "4s", "90s"), (4, "7s", "90s")],
            await Sql.ListAsync(database.DataSource, "SELECT * FROM seen ORDER BY migration", r => (r.GetInt32(0), r.GetString(1), r.GetString(2))));
    }

    [Fact(Timeout = 60_000)]
    public async Task Migration_blocked_on_a_lock_fails_after_its_files_lock_timeout_and_records_nothing()
    {
        var table = TestCatalog.Migration(1, "CREATE TABLE busy (id int);", name: "busy");
        var blocked = TestCatalog.Migration(2, "ALTER TABLE busy ADD COLUMN added int;", name: "alter_busy", lockTimeout: TimeSpan.FromMilliseconds(200));
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(table), TestDatabaseOptions.SchemaOnly);
        await using var reader = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var readerTransaction = await reader.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(reader, "LOCK TABLE busy IN ACCESS SHARE MODE");

        // An hour by default: only the file's 200ms can end the wait while this test still runs.
        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(
            TestCatalog.Of(table, blocked),
            database.DataSource, new MigrationOptions { LockTimeout = TimeSpan.FromHours(1) }, TestContext.Current.CancellationToken));

        Assert.Equal(("002_alter_busy", "55P03", 3), (failed.Version, failed.SqlState, failed.Line));
        Assert.Contains("failed at execution/migrations/002_alter_busy.sql:3: canceling statement due to lock timeout (SQLSTATE 55P03)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("longer than the migration's lock_timeout of 200ms (the file's -- Lock-Timeout:)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was recorded", failed.Message, StringComparison.Ordinal);
        await readerTransaction.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal([table.Version], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));
        Assert.Equal(["id"], await Sql.ListAsync(database.DataSource, "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'busy'", r => r.GetString(0)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Migration_running_past_its_statement_timeout_fails_and_records_nothing()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE half (id int);\nSELECT pg_sleep(30);", statementTimeout: TimeSpan.FromMilliseconds(200)));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("57014", 4), (failed.SqlState, failed.Line));
        Assert.Contains("canceling statement due to statement timeout", failed.Message, StringComparison.Ordinal);
        Assert.Contains("statement_timeout of 200ms (the file's -- Statement-Timeout:)", failed.Message, StringComparison.Ordinal);
        Assert.Equal(["schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
    }
}
