using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 13.6: every failure around the history table is typed and names the migration and what is done — never a
/// raw PostgresException or InvalidCastException — and a fresh database makes the server log no error.
/// </summary>
public sealed class HistoryFaultTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task A_transaction_none_file_whose_history_row_cannot_be_written_is_reported_with_the_insert_to_run()
    {
        // The first migration makes the history refuse the second one's row, as a broken trigger or a full disk would.
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(
                1,
                """
                CREATE FUNCTION refuse_second() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.version = '002_side_table' THEN RAISE EXCEPTION 'history is read-only today'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_second BEFORE INSERT ON schema_migrations FOR EACH ROW EXECUTE FUNCTION refuse_second();
                """,
                name: "guard_history"),
            TestCatalog.Migration(2, "CREATE TABLE IF NOT EXISTS side (id int);", transactionMode: MigrationTransactionMode.None, name: "side_table"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(("002_side_table", "P0001"), (failed.Version, failed.SqlState));
        Assert.Contains("runs without a transaction: all its statements completed, but writing its history row to public.schema_migrations failed: history is read-only today", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"record it by hand: INSERT INTO \"public\".\"schema_migrations\" (version, checksum) VALUES ('002_side_table', '{catalog.Migrations[1].Checksum}')", failed.Message, StringComparison.Ordinal);
        Assert.Contains("side", await Sql.TablesAsync(database.DataSource));
        Assert.Equal(["001_guard_history"], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));
        Assert.Equal("0", await Sql.ScalarAsync<string>(database.DataSource, "SELECT current_setting('lock_timeout')"));
    }

    [Fact]
    public async Task A_role_without_create_on_the_schema_is_told_the_grant_and_nothing_is_created()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "SELECT 1;", name: "noop"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        var role = await CreateRoleAsync(database, "ros_no_create");
        await using var asRole = NpgsqlDataSource.Create(AsRole(database.ConnectionString, role));

        var refused = await Assert.ThrowsAsync<InsufficientPrivilegeException>(() => SchemaMigrator.MigrateAsync(catalog, asRole, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal($"GRANT CREATE ON SCHEMA \"public\" TO \"{role}\"", refused.Grant);
        Assert.StartsWith($"Cannot create the history table public.schema_migrations: role {role} has no CREATE privilege on schema public.", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Sql.TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task A_role_without_create_migrates_a_database_whose_history_table_exists()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "INSERT INTO notes VALUES ('migrated');", name: "note"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        var role = await CreateRoleAsync(database, "ros_app");
        await Sql.ExecuteAsync(database.DataSource, $"""
            CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), checksum VARCHAR(64) NOT NULL);
            CREATE TABLE notes (text text);
            GRANT SELECT, INSERT, DELETE ON schema_migrations, notes TO "{role}";
            """);
        await using var asRole = NpgsqlDataSource.Create(AsRole(database.ConnectionString, role));

        var result = await SchemaMigrator.MigrateAsync(catalog, asRole, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_note"], result.Applied.Select(a => a.Version));
        Assert.Equal(["001_note"], (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version));
    }

    [Fact]
    public async Task A_history_row_without_a_checksum_is_refused_naming_the_row_and_the_repair()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "ALTER TABLE schema_migrations ALTER COLUMN checksum DROP NOT NULL; UPDATE schema_migrations SET checksum = NULL WHERE version = '003_create_users'");
        await Sql.ExecuteAsync(database.DataSource, "DELETE FROM schema_migrations WHERE version = '010_create_indexes'");

        var refused = await Assert.ThrowsAsync<InvalidHistoryException>(() => ReferralOsSchema.MigrateAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken));
        var status = await ReferralOsSchema.StatusAsync(database.DataSource, TestContext.Current.CancellationToken);

        Assert.Equal("003_create_users", refused.Version);
        Assert.Contains("records 003_create_users with no checksum (NULL)", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"UPDATE \"public\".\"schema_migrations\" SET checksum = '{ReferralOsSchema.Catalog.Find("003_create_users")!.Checksum}' WHERE version = '003_create_users'", refused.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidHistoryException>(status.Problem);
        Assert.False(status.IsUpToDate);
        Assert.Equal(8, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM schema_migrations WHERE checksum IS NOT NULL"));
    }

    [Fact]
    public async Task Reset_refuses_when_the_search_path_names_no_schema_and_drops_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await using var noSchema = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = "no_such_schema" }.ConnectionString);

        var refused = await Assert.ThrowsAsync<InvalidHistoryException>(() => new SchemaMigrator(ReferralOsSchema.Catalog, noSchema).ResetAsync(DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.Contains("search_path names no schema that exists, so there is no current schema to drop", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ReferralOsSchema.Migrations.Count, (await Sql.HistoryAsync(database.DataSource)).Count);
    }

    [Fact]
    public async Task Reset_refuses_a_production_database_whatever_schema_the_search_path_names()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await ReferralOsSchema.MigrateAsync(database.DataSource, new MigrationOptions { Environment = DatabaseEnvironment.Production }, TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(database.DataSource, "CREATE SCHEMA elsewhere; CREATE TABLE elsewhere.keep (id int)");
        await using var elsewhere = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = "elsewhere" }.ConnectionString);

        await Assert.ThrowsAsync<EnvironmentRefusedException>(() => new SchemaMigrator(ReferralOsSchema.Catalog, elsewhere).ResetAsync(DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.Equal(1L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM pg_tables WHERE schemaname = 'elsewhere'"));
        Assert.Equal(ReferralOsSchema.Migrations.Count, (await Sql.HistoryAsync(database.DataSource)).Count);
    }

    [Fact]
    public async Task Migrating_a_fresh_database_from_several_instances_makes_the_server_log_no_error()
    {
        // Every statement that fails aborts its transaction, which pg_stat_database counts: none may.
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var before = await RollbacksAsync(database);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var instance = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
            await ReferralOsSchema.MigrateAsync(instance, cancellationToken: TestContext.Current.CancellationToken);
            await ReferralOsSchema.StatusAsync(instance, TestContext.Current.CancellationToken);
        }));

        Assert.Equal(before, await RollbacksAsync(database));
    }

    private static async Task<long> RollbacksAsync(TestDatabase database)
    {
        // Backends flush their counters when they exit; the instances above used unpooled connections that have.
        await using var fresh = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await Sql.ExecuteAsync(fresh, "SELECT pg_stat_clear_snapshot()");
        return await Sql.ScalarAsync<long>(fresh, "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()");
    }

    private static async Task<string> CreateRoleAsync(TestDatabase database, string prefix)
    {
        var role = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await Sql.ExecuteAsync(database.DataSource, $"CREATE ROLE \"{role}\" LOGIN PASSWORD 'ros-test'; GRANT CONNECT ON DATABASE \"{new NpgsqlConnectionStringBuilder(database.ConnectionString).Database}\" TO \"{role}\"; REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        return role;
    }

    private static string AsRole(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = "ros-test", Pooling = false }.ConnectionString;
}
