using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests.Explaining;

/// <summary>Issue 17.1: explain runs what is pending on a scratch copy, reports per statement, and leaves the target as it was.</summary>
public sealed class ExplainTests(PostgresServerFixture postgres)
{
    private static readonly Migration Items = TestCatalog.Migration(1, "CREATE TABLE items (id int PRIMARY KEY, v int);\nINSERT INTO items SELECT g, g FROM generate_series(1, 100) g;", name: "items");

    [Fact]
    public async Task Explain_runs_the_pending_migrations_on_a_scratch_copy_and_leaves_the_target_untouched()
    {
        var catalog = TestCatalog.Of(
            Items,
            TestCatalog.Migration(2, "ALTER TABLE items ALTER COLUMN v TYPE bigint;\nCREATE TABLE notes (id int, item_id int REFERENCES items (id));\nALTER TABLE notes ADD COLUMN body text;", name: "widen"),
            TestCatalog.Migration(3, "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_v ON items (v);", name: "index", transactionMode: MigrationTransactionMode.None));
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(Items), TestDatabaseOptions.SchemaOnly);

        var report = await new SchemaMigrator(catalog, target.DataSource).ExplainAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["002_widen", "003_index"], report.Migrations.Select(m => m.Version));
        var widen = report.Migrations[0].Statements;
        Assert.Equal([3, 4, 5], widen.Select(s => s.Line));
        Assert.Equal([new RelationLock("items", LockMode.AccessExclusiveLock, CreatedInRun: false)], widen[0].Locks.Where(l => l.Relation == "items"));
        Assert.Equal(["items", "items_pkey"], widen[0].Rewrites);
        Assert.True(widen[0].Locks.Single(l => l.Relation == "items").BlocksWrites);

        // The table created by the run is locked, and that blocks nobody; a lock the transaction already holds is not
        // reported again; the held time runs to the commit.
        var created = widen[1].Locks.Single(l => l.Relation == "notes");
        Assert.Equal((LockMode.AccessExclusiveLock, true, false), (created.Mode, created.CreatedInRun, created.IsBlocking));
        Assert.Empty(widen[2].Locks);
        Assert.True(widen[0].HeldFor >= widen[0].Duration + widen[1].Duration + widen[2].Duration);

        var index = Assert.Single(report.Migrations[1].Statements);
        Assert.True(index.Sampled);
        Assert.Equal(LockMode.ShareUpdateExclusiveLock, index.Locks.Single(l => l.Relation == "items").Mode);
        Assert.Equal(BlockedOperations.Maintenance | BlockedOperations.SchemaChanges, index.Locks.Single(l => l.Relation == "items").Blocks);

        Assert.Equal([("001_items", Items.Checksum)], await Sql.HistoryAsync(target.DataSource));
        Assert.Equal("integer", await Sql.ScalarAsync<string>(target.DataSource, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'v'"));
        Assert.StartsWith("referralos_scratch_explain_", report.ScratchDatabase, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(target.DataSource, $"SELECT count(*) FROM pg_database WHERE datname = '{report.ScratchDatabase}'"));
    }

    [Fact]
    public async Task Only_explains_the_named_migration_after_applying_the_ones_pending_before_it()
    {
        var catalog = TestCatalog.Of(
            Items,
            TestCatalog.Migration(2, "ALTER TABLE items ADD COLUMN w int DEFAULT 0;", name: "add_w"),
            TestCatalog.Migration(3, "ALTER TABLE items ALTER COLUMN w SET NOT NULL;", name: "require_w", lockTimeout: TimeSpan.FromSeconds(2)));
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(Items), TestDatabaseOptions.SchemaOnly);
        var migrator = new SchemaMigrator(catalog, target.DataSource);

        var report = await migrator.ExplainAsync(new ExplainOptions { Only = "003_require_w" }, TestContext.Current.CancellationToken);

        var only = Assert.Single(report.Migrations);
        Assert.Equal(("003_require_w", TimeSpan.FromSeconds(2)), (only.Version, only.LockTimeout));
        Assert.Equal(LockMode.AccessExclusiveLock, Assert.Single(only.Statements).Locks.Single(l => l.Relation == "items").Mode);

        var unknown = await Assert.ThrowsAsync<ExplainNotPossibleException>(() => migrator.ExplainAsync(new ExplainOptions { Only = "009_nothing" }, TestContext.Current.CancellationToken));
        Assert.Contains("the code has no migration of that version", unknown.Message, StringComparison.Ordinal);
        var applied = await Assert.ThrowsAsync<ExplainNotPossibleException>(() => migrator.ExplainAsync(new ExplainOptions { Only = "001_items" }, TestContext.Current.CancellationToken));
        Assert.Contains("already applied", applied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_statement_that_fails_on_the_copy_fails_the_explain_with_its_line_and_the_scratch_database_is_dropped()
    {
        var catalog = TestCatalog.Of(Items, TestCatalog.Migration(2, "ALTER TABLE items ADD COLUMN w int;\nALTER TABLE items ALTER COLUMN w SET NOT NULL;", name: "require_w"));
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(Items), TestDatabaseOptions.SchemaOnly);

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => new SchemaMigrator(catalog, target.DataSource).ExplainAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("23502", 4), (failed.SqlState, failed.Line));
        Assert.Contains("when explained on a scratch copy", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_statistics_and_synthetic_rows_each_duration_is_scaled_to_the_snapshot_s_rows()
    {
        var tables = TestCatalog.Migration(
            1,
            """
            CREATE TABLE tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), slug text NOT NULL UNIQUE);
            CREATE TABLE users (tenant_id uuid NOT NULL REFERENCES tenants (id), id int NOT NULL, status varchar(20) NOT NULL CHECK (status IN ('active', 'blocked')), email text NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, email));
            """,
            name: "tables");
        var catalog = TestCatalog.Of(tables, TestCatalog.Migration(2, "ALTER TABLE users ADD COLUMN score double precision DEFAULT random();", name: "score"));
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(tables), TestDatabaseOptions.SchemaOnly);
        var snapshot = new DatabaseStatistics([new TableStatistics("tenants", 50, 8192), new TableStatistics("users", 1_000_000, 200_000_000)]);

        var report = await new SchemaMigrator(catalog, target.DataSource).ExplainAsync(new ExplainOptions { Statistics = snapshot, SyntheticRows = 300 }, TestContext.Current.CancellationToken);

        var statement = Assert.Single(Assert.Single(report.Migrations).Statements);
        Assert.Contains("users", statement.Rewrites);
        Assert.Equal(1_000_000, statement.SnapshotRows);
        Assert.True(statement.PredictedDuration > statement.Duration * 100, $"predicted {statement.PredictedDuration} from {statement.Duration}: the copy held rows of users, so the prediction scales by the snapshot's 1,000,000 against them");
        Assert.True(statement.PredictedHeldFor >= statement.PredictedDuration);
    }

    [Fact]
    public async Task Statistics_record_each_table_s_rows_and_size()
    {
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(Items), TestDatabaseOptions.SchemaOnly);

        var statistics = await new SchemaMigrator(TestCatalog.Of(Items), target.DataSource).ReadStatisticsAsync(TestContext.Current.CancellationToken);

        var items = statistics.Find("items")!;
        Assert.Equal(100, items.Rows);
        Assert.True(items.TotalBytes > 0);
    }
}
