using Npgsql;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 13.2: a CREATE INDEX CONCURRENTLY interrupted by any fault leaves an INVALID index; the next run refuses
/// with the DROP INDEX CONCURRENTLY to run (or, when allowed, rebuilds it) and never records the file with it.
/// Each test stops the build at a known point: a session holding an old snapshot makes CIC wait after it has
/// created the (still INVALID) index.
/// </summary>
public sealed class InvalidIndexTests(PostgresServerFixture postgres)
{
    private const string Invalid = "SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid";

    [Fact(Timeout = 90_000)]
    public async Task Migrator_killed_during_a_concurrent_index_build_leaves_the_file_unrecorded_and_the_next_run_names_the_drop()
    {
        var catalog = TestCatalog.ConcurrentIndex();
        await using var database = await PrepareAsync(catalog);
        await using (await Snapshot.HoldAsync(database.DataSource))
        {
            using var migrator = MigratorProcess.Start("concurrent-index", database.ConnectionString);
            var backend = await BuildingAsync(database.DataSource);

            migrator.Kill(entireProcessTree: true);
            await migrator.WaitForExitAsync(TestContext.Current.CancellationToken);
            await Sql.EventuallyAsync(database.DataSource, $"SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = {backend})", r => r.GetInt32(0));
        }

        await AssertRefusedThenRebuiltAsync(catalog, database);
    }

    [Fact(Timeout = 90_000)]
    public async Task Session_terminated_during_a_concurrent_index_build_fails_typed_and_the_next_run_refuses()
    {
        var catalog = TestCatalog.ConcurrentIndex();
        await using var database = await PrepareAsync(catalog);
        MigrationFailedException lost;
        await using (await Snapshot.HoldAsync(database.DataSource))
        {
            var run = SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);
            var backend = await BuildingAsync(database.DataSource);
            Assert.True(await Sql.ScalarAsync<bool>(database.DataSource, $"SELECT pg_terminate_backend({backend})"));
            lost = await Assert.ThrowsAsync<MigrationFailedException>(() => run);
        }

        Assert.Contains("interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index that the next run reports", lost.Message, StringComparison.Ordinal);
        await AssertRefusedThenRebuiltAsync(catalog, database);
    }

    [Fact(Timeout = 90_000)]
    public async Task Cancelled_concurrent_index_build_says_it_is_not_recorded_never_that_it_rolled_back()
    {
        var catalog = TestCatalog.ConcurrentIndex();
        await using var database = await PrepareAsync(catalog);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        MigrationCanceledException cancelled;
        await using (await Snapshot.HoldAsync(database.DataSource))
        {
            var run = SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: cancel.Token);
            await BuildingAsync(database.DataSource);
            await cancel.CancelAsync();
            cancelled = await Assert.ThrowsAsync<MigrationCanceledException>(() => run);
        }

        Assert.Equal("002_index_items", cancelled.Version);
        Assert.StartsWith("Cancelled while applying migration 002_index_items (execution/migrations/002_index_items.sql). It runs without a transaction:", cancelled.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rolled back", cancelled.Message, StringComparison.Ordinal);
        await AssertRefusedThenRebuiltAsync(catalog, database);
    }

    [Theory(Timeout = 90_000)]
    [InlineData("lock timeout", "55P03")]
    [InlineData("statement timeout", "57014")]
    public async Task Concurrent_index_build_that_times_out_leaves_the_file_unrecorded_and_the_next_run_refuses(string fault, string sqlState)
    {
        var catalog = fault == "lock timeout"
            ? TestCatalog.ConcurrentIndex(lockTimeout: TimeSpan.FromMilliseconds(300), statementTimeout: TimeSpan.FromMinutes(5))
            : TestCatalog.ConcurrentIndex(lockTimeout: TimeSpan.FromMinutes(5), statementTimeout: TimeSpan.FromMilliseconds(300));
        await using var database = await PrepareAsync(catalog);
        MigrationFailedException failed;
        await using (await Snapshot.HoldAsync(database.DataSource))
        {
            failed = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));
        }

        Assert.Equal(("002_index_items", sqlState), (failed.Version, failed.SqlState));
        Assert.Contains("a failed CREATE INDEX CONCURRENTLY leaves an INVALID index", failed.Message, StringComparison.Ordinal);
        await AssertRefusedThenRebuiltAsync(catalog, database);
    }

    [Fact]
    public async Task Status_reports_an_invalid_index_and_is_not_up_to_date()
    {
        var catalog = TestCatalog.ConcurrentIndex();
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.SchemaOnly);
        await MakeInvalidAsync(database.DataSource);

        var status = await SchemaMigrator.StatusAsync(catalog, database.DataSource, TestContext.Current.CancellationToken);

        Assert.Equal(["idx_items_id"], status.InvalidIndexes);
        Assert.False(status.IsUpToDate);
    }

    [Fact]
    public async Task A_file_whose_index_is_invalid_after_it_ran_is_not_recorded()
    {
        // IF NOT EXISTS skips an index that exists INVALID: the run must not take "no error" for "built".
        var catalog = TestCatalog.ConcurrentIndex();
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(catalog.Migrations[0]), TestDatabaseOptions.SchemaOnly);
        var check = TestCatalog.Of(
            catalog.Migrations[0],
            TestCatalog.Migration(
                2,
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_items_id'::regclass;",
                transactionMode: MigrationTransactionMode.None,
                name: "index_items",
                concurrentIndexes: [new ConcurrentIndex("\"idx_items_id\"", "items")]));
        await Sql.ExecuteAsync(database.DataSource, "CREATE INDEX idx_items_id ON items (id)");

        var refused = await Assert.ThrowsAsync<InvalidIndexException>(() => SchemaMigrator.MigrateAsync(check, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("ran, but created an index that exists INVALID: idx_items_id", refused.Message, StringComparison.Ordinal);
        Assert.Contains("The file is not recorded as applied", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["001_items"], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));
    }

    /// <summary>The table migrated, the index pending.</summary>
    private async Task<TestDatabase> PrepareAsync(MigrationCatalog catalog)
    {
        var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(catalog.Migrations[0]), TestDatabaseOptions.SchemaOnly);
        Assert.Empty(await Sql.ListAsync(database.DataSource, Invalid, r => r.GetString(0)));
        return database;
    }

    /// <summary>After the fault: INVALID and unrecorded; migrate refuses, naming the drop; the option rebuilds it and records the file.</summary>
    private static async Task AssertRefusedThenRebuiltAsync(MigrationCatalog catalog, TestDatabase database)
    {
        Assert.Equal(["idx_items_id"], await Sql.ListAsync(database.DataSource, Invalid, r => r.GetString(0)));
        Assert.Equal(["001_items"], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));

        var refused = await Assert.ThrowsAsync<InvalidIndexException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("002_index_items", refused.Version);
        Assert.Equal(["idx_items_id"], refused.Indexes);
        Assert.Contains("DROP INDEX CONCURRENTLY IF EXISTS idx_items_id;", refused.Message, StringComparison.Ordinal);
        Assert.Contains("The file did not run", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["001_items"], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));

        var rebuilt = await SchemaMigrator.MigrateAsync(catalog, database.DataSource, new MigrationOptions { RebuildInvalidIndexes = true }, TestContext.Current.CancellationToken);
        Assert.Equal(["002_index_items"], rebuilt.Applied.Select(a => a.Version));
        Assert.Empty(await Sql.ListAsync(database.DataSource, Invalid, r => r.GetString(0)));
        Assert.True(await Sql.ScalarAsync<bool>(database.DataSource, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_items_id'::regclass"));
    }

    /// <summary>The backend building the index, once the index exists INVALID and the build waits for the old snapshot.</summary>
    private static Task<int> BuildingAsync(NpgsqlDataSource dataSource) =>
        Sql.EventuallyAsync(
            dataSource,
            "SELECT a.pid FROM pg_stat_activity a WHERE a.query LIKE 'CREATE INDEX CONCURRENTLY%' AND a.wait_event_type = 'Lock' AND EXISTS (SELECT FROM pg_index WHERE NOT indisvalid)",
            r => r.GetInt32(0));

    private static async Task MakeInvalidAsync(NpgsqlDataSource dataSource)
    {
        await Sql.ExecuteAsync(dataSource, "DROP INDEX IF EXISTS idx_items_id");
        await Sql.ExecuteAsync(dataSource, "CREATE INDEX idx_items_id ON items (id)");
        await Sql.ExecuteAsync(dataSource, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_items_id'::regclass");
    }

    /// <summary>A session in a REPEATABLE READ transaction with its snapshot taken: CREATE INDEX CONCURRENTLY waits for it to end.</summary>
    private sealed class Snapshot : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;

        private Snapshot(NpgsqlConnection connection) => _connection = connection;

        public static async Task<Snapshot> HoldAsync(NpgsqlDataSource dataSource)
        {
            var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await Sql.ExecuteAsync(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM pg_class;");
            return new Snapshot(connection);
        }

        public async ValueTask DisposeAsync()
        {
            await Sql.ExecuteAsync(_connection, "ROLLBACK");
            await _connection.DisposeAsync();
        }
    }
}
