using Npgsql;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 5.3: <c>-- Transaction: none</c> migrations run one statement a command, their history row last.</summary>
public sealed class NonTransactionalTests(PostgresServerFixture postgres)
{
    private static readonly Migration Table = TestCatalog.Migration(1, "CREATE TABLE items (id int, v int);", name: "items");

    [Fact]
    public async Task Create_index_concurrently_runs_in_a_transaction_none_migration()
    {
        var catalog = TestCatalog.Of(
            Table,
            TestCatalog.Migration(
                2,
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_v ON items (v);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_id ON items (id);",
                name: "items_indexes",
                transactionMode: MigrationTransactionMode.None));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([("items_id", true), ("items_v", true)], await IndexesAsync(database.DataSource));
        Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    [Fact(Timeout = 60_000)]
    public async Task Create_index_concurrently_completes_while_another_instance_waits_for_the_migration_lock()
    {
        // The first instance stops at the gate just before CREATE INDEX CONCURRENTLY, holding the migration lock.
        var catalog = TestCatalog.Of(
            Table,
            TestCatalog.Migration(
                2,
                "SELECT pg_advisory_xact_lock_shared(7101);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_v ON items (v);",
                name: "items_index",
                transactionMode: MigrationTransactionMode.None));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var gate = await Gate.CloseAsync(database.DataSource, 7101);
        await using var first = NpgsqlDataSource.Create(database.ConnectionString);
        await using var second = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "second_instance" }.ConnectionString);
        var firstRun = SchemaMigrator.MigrateAsync(catalog, first, cancellationToken: TestContext.Current.CancellationToken);
        await gate.WaiterAsync(database.DataSource);
        var secondRun = SchemaMigrator.MigrateAsync(catalog, second, cancellationToken: TestContext.Current.CancellationToken);
        // Its poll is the try, then the read of the lease table (a lease behind a pooler would keep it out too).
        await Sql.EventuallyAsync(
            database.DataSource,
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'second_instance' AND (query LIKE '%pg_try_advisory_lock%' OR query LIKE '%schema_migrations_lock%')",
            r => r.GetInt32(0));

        // CREATE INDEX CONCURRENTLY waits for every transaction older than it: a waiter blocked in pg_advisory_lock
        // would be one, and would itself wait for the lock the first instance holds.
        await gate.OpenAsync();

        var results = await Task.WhenAll(firstRun, secondRun);
        Assert.Equal(["001_items", "002_items_index"], results[0].Applied.Select(a => a.Version));
        Assert.Empty(results[1].Applied);
        Assert.Equal([("items_v", true)], await IndexesAsync(database.DataSource));
        Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    [Fact]
    public async Task Failure_half_way_keeps_earlier_statements_records_nothing_and_the_fixed_file_completes_on_the_next_run()
    {
        var broken = TestCatalog.Of(
            Table,
            TestCatalog.Migration(
                2,
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_v ON items (v);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_w ON items (w);",
                name: "items_indexes",
                transactionMode: MigrationTransactionMode.None));
        await using var database = await postgres.CreateDatabaseAsync(broken, TestDatabaseOptions.Empty);

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(broken, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("42703", 4), (failed.SqlState, failed.Line));
        Assert.Contains("This migration runs without a transaction: statements before #2 stay done and its history row was left as it was.", failed.Message, StringComparison.Ordinal);
        Assert.Contains("fix the cause and run again", failed.Message, StringComparison.Ordinal);
        Assert.Equal([("items_v", true)], await IndexesAsync(database.DataSource));
        Assert.Equal(["001_items"], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));

        var fixedFile = TestCatalog.Of(
            Table,
            TestCatalog.Migration(
                2,
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_v ON items (v);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_id ON items (id);",
                name: "items_indexes",
                transactionMode: MigrationTransactionMode.None));
        var retry = await SchemaMigrator.MigrateAsync(fixedFile, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["002_items_indexes"], retry.Applied.Select(a => a.Version));
        Assert.Equal([("items_id", true), ("items_v", true)], await IndexesAsync(database.DataSource));
        Assert.Equal(fixedFile.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    private static Task<List<(string Name, bool Valid)>> IndexesAsync(NpgsqlDataSource dataSource) =>
        Sql.ListAsync(
            dataSource,
            "SELECT c.relname::text, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass ORDER BY 1",
            r => (r.GetString(0), r.GetBoolean(1)));
}
