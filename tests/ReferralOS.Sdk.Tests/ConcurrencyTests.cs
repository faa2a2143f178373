using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 5.1: many instances migrate one database at once; one advisory lock serialises them and is always released
/// (after cancellation: <see cref="FaultTests.Cancelled_migration_rolls_back_cleanly_releases_the_lock_and_records_nothing"/>).
/// </summary>
public sealed class ConcurrencyTests(PostgresServerFixture postgres)
{
    private const int Instances = 16;

    [Fact(Timeout = 120_000)]
    public async Task Sixteen_instances_migrating_one_empty_database_at_once_all_succeed_and_apply_each_migration_once()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var results = await MigrateFromInstancesAsync(database.ConnectionString, ReferralOsSchema.Catalog);

        Assert.Equal(ReferralOsSchema.Migrations.Select(m => m.Version), results.SelectMany(r => r.Applied).Select(a => a.Version).Order(StringComparer.Ordinal));
        Assert.Equal(ReferralOsSchema.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        Assert.Equal(
            ["api_keys", "audit_logs", "referral_codes", "referrals", "rewards_ledger", "schema_migrations", "tenants", "users", "webhook_events"],
            await Sql.TablesAsync(database.DataSource));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
    }

    [Fact(Timeout = 120_000)]
    public async Task Sixteen_instances_migrating_at_once_run_each_migrations_statements_exactly_once()
    {
        // Not idempotent on purpose: a second run of any migration would add a second row.
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(1, "CREATE TABLE runs (version text NOT NULL);\nINSERT INTO runs VALUES ('001');"),
            TestCatalog.Migration(2, "INSERT INTO runs VALUES ('002');"),
            TestCatalog.Migration(3, "INSERT INTO runs VALUES ('003');", transactionMode: MigrationTransactionMode.None));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        var results = await MigrateFromInstancesAsync(database.ConnectionString, catalog);

        Assert.Equal(3, results.Sum(r => r.Applied.Count));
        Assert.Equal(["001", "002", "003"], await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0)));
        Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    [Fact]
    public async Task Migrate_gives_up_with_a_clear_error_when_another_instance_holds_the_lock_too_long()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE never (id int);"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var otherInstance = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(otherInstance, $"SELECT pg_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey})");

        var timeout = await Assert.ThrowsAsync<MigrationLockTimeoutException>(
            () => SchemaMigrator.MigrateAsync(catalog, database.DataSource, new MigrationOptions { LockWaitTimeout = TimeSpan.FromMilliseconds(300) }, TestContext.Current.CancellationToken));

        Assert.Contains($"Another instance held the migration lock (pg_advisory_lock key {MigrationOptions.DefaultAdvisoryLockKey})", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("MigrationOptions.LockWaitTimeout", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was applied.", timeout.Message, StringComparison.Ordinal);
        Assert.Empty(await Sql.TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task Migration_lock_is_released_after_a_successful_run()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE done (id int);"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        var result = await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step"], result.Applied.Select(a => a.Version));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Migration_lock_is_released_after_a_failed_migration()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE broken (id int);\nSELECT 1 / 0;"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
        Assert.Equal(["schema_migrations"], await Sql.TablesAsync(database.DataSource));
    }

    /// <summary>Each instance with a pool of its own, as separate processes would have, all started together.</summary>
    private static async Task<MigrationResult[]> MigrateFromInstancesAsync(string connectionString, MigrationCatalog catalog)
    {
        var instances = Enumerable.Range(0, Instances).Select(_ => NpgsqlDataSource.Create(connectionString)).ToArray();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runs = instances.Select(async dataSource =>
            {
                await start.Task;
                return await SchemaMigrator.MigrateAsync(catalog, dataSource, cancellationToken: TestContext.Current.CancellationToken);
            }).ToArray();
            start.SetResult();
            return await Task.WhenAll(runs);
        }
        finally
        {
            foreach (var dataSource in instances)
            {
                await dataSource.DisposeAsync();
            }
        }
    }
}
