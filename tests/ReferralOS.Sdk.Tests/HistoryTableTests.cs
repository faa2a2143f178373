using Npgsql;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 14.4: the history table's name and schema are options, and no other tool's table or migration's session setting can confuse it.</summary>
public sealed class HistoryTableTests(PostgresServerFixture postgres)
{
    private const string Custom = "ops.referralos_history";

    /// <summary>Two migrations with a Down each: enough to migrate, read the status of and roll back.</summary>
    private static readonly MigrationCatalog Items = TestCatalog.Of(
        TestCatalog.Migration(1, "CREATE TABLE items (id int);", down: "DROP TABLE items;", name: "items"),
        TestCatalog.Migration(2, "ALTER TABLE items ADD COLUMN name text;", down: "ALTER TABLE items DROP COLUMN name;", name: "items_name"));

    private const string GolangMigrate = "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (20240101120000, false);";
    private const string Dbmate = "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101120000');";

    public static TheoryData<string, string> OtherTools => new() { { "golang-migrate", GolangMigrate }, { "dbmate", Dbmate } };

    public static TheoryData<string> OtherToolTables => new() { GolangMigrate, Dbmate };

    [Fact]
    public async Task Migrate_creates_the_schema_of_a_custom_history_table_records_there_and_never_creates_schema_migrations()
    {
        await using var database = await postgres.CreateDatabaseAsync(Items, TestDatabaseOptions.Empty);

        var result = await new SchemaMigrator(Items, database.DataSource, new MigrationOptions { HistoryTable = Custom }).MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["001_items", "002_items_name"], result.Applied.Select(a => a.Version));
        Assert.Equal(Items.Migrations.Select(m => (m.Version, m.Checksum)), await HistoryAsync(database.DataSource, Custom));
        Assert.True(await Sql.ScalarAsync<bool>(database.DataSource, "SELECT to_regclass('schema_migrations') IS NULL"));
        Assert.Empty(await Sql.ListAsync(database.DataSource, "SELECT relname::text FROM pg_class WHERE relname = 'schema_migrations'", r => r.GetString(0)));
    }

    [Fact]
    public async Task Status_reads_the_custom_history_table()
    {
        await using var database = await postgres.CreateDatabaseAsync(Items, TestDatabaseOptions.Empty);
        var migrator = new SchemaMigrator(Items, database.DataSource, new MigrationOptions { HistoryTable = Custom });
        await Sql.ExecuteAsync(database.DataSource, "CREATE SCHEMA ops; CREATE TABLE ops.referralos_history (version varchar(255) PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), checksum varchar(64) NOT NULL)");
        await Sql.ExecuteAsync(database.DataSource, $"CREATE TABLE items (id int); INSERT INTO ops.referralos_history (version, checksum) VALUES ('001_items', '{Items.Migrations[0].Checksum}')");

        var status = await migrator.StatusAsync(TestContext.Current.CancellationToken);

        Assert.Equal([("001_items", MigrationState.Applied), ("002_items_name", MigrationState.Pending)], status.Migrations.Select(m => (m.Version, m.State)));
        Assert.Null(status.Problem);
    }

    [Fact]
    public async Task Rollback_removes_its_rows_from_the_custom_history_table()
    {
        await using var database = await postgres.CreateDatabaseAsync(Items, TestDatabaseOptions.Empty);
        var migrator = new SchemaMigrator(Items, database.DataSource, new MigrationOptions { HistoryTable = Custom });
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        var rolledBack = await migrator.RollbackAsync("001_items", DatabaseEnvironment.Development, TestContext.Current.CancellationToken);

        Assert.Equal(["002_items_name"], rolledBack.RolledBack.Select(r => r.Version));
        Assert.Equal([("001_items", Items.Migrations[0].Checksum)], await HistoryAsync(database.DataSource, Custom));
        Assert.True(await Sql.ScalarAsync<bool>(database.DataSource, "SELECT to_regclass('schema_migrations') IS NULL"));
    }

    [Theory]
    [MemberData(nameof(OtherTools))]
    public async Task Migrate_with_the_default_name_refuses_another_tools_schema_migrations_naming_its_layout_and_the_option(string tool, string table)
    {
        await using var database = await postgres.CreateDatabaseAsync(Items, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, table);
        var before = await SchemaAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<InvalidHistoryException>(() => SchemaMigrator.MigrateAsync(Items, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith("The history table public.schema_migrations has another layout (", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"which looks like {tool}'s", refused.Message, StringComparison.Ordinal);
        Assert.Contains("MigrationOptions.HistoryTable (the CLI's --history-table)", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", refused.Message, StringComparison.Ordinal);
        Assert.Equal("public.schema_migrations", refused.Table);
        Assert.Equal(before, await SchemaAsync(database.DataSource));
    }

    [Theory]
    [MemberData(nameof(OtherToolTables))]
    public async Task Migrate_with_another_history_table_works_beside_another_tools_schema_migrations_and_leaves_it_untouched(string table)
    {
        await using var database = await postgres.CreateDatabaseAsync(Items, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, table);
        var theirs = await RowsAsync(database.DataSource, "schema_migrations");

        var result = await new SchemaMigrator(Items, database.DataSource, new MigrationOptions { HistoryTable = "referralos_history" }).MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Applied.Count);
        Assert.Equal(Items.Migrations.Select(m => (m.Version, m.Checksum)), await HistoryAsync(database.DataSource, "public.referralos_history"));
        Assert.Equal(theirs, await RowsAsync(database.DataSource, "schema_migrations"));
    }

    public static TheoryData<string, MigrationTransactionMode> SessionSettings => new()
    {
        { "SET search_path = other, public;", MigrationTransactionMode.Transactional },
        { "SET search_path = other, public;", MigrationTransactionMode.None },
        { "SELECT pg_catalog.set_config('search_path', '', false);", MigrationTransactionMode.Transactional },
        { "SELECT pg_catalog.set_config('search_path', '', false);", MigrationTransactionMode.None },
        { "SET ROLE {role};", MigrationTransactionMode.Transactional },
        { "SET ROLE {role};", MigrationTransactionMode.None },
    };

    [Theory]
    [MemberData(nameof(SessionSettings))]
    public async Task A_migrations_session_setting_neither_breaks_its_history_row_nor_reaches_the_next_migration(string setting, MigrationTransactionMode mode)
    {
        // A role with no privilege on the history table: a history row written as it fails.
        var role = $"ros_limited_{Guid.NewGuid():N}";
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(1, "CREATE SCHEMA other;\nCREATE TABLE other.seen (who text, path text);", name: "other"),
            TestCatalog.Migration(2, setting.Replace("{role}", role, StringComparison.Ordinal) + "\nSELECT 1;", name: "setting", transactionMode: mode),
            TestCatalog.Migration(3, "CREATE TABLE seen AS SELECT current_user::text AS who, current_setting('search_path') AS path;", name: "seen"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, $"CREATE ROLE {role} NOLOGIN; GRANT {role} TO current_user");
        try
        {
            var original = await Sql.ListAsync(database.DataSource, "SELECT current_user::text, current_setting('search_path')", r => (r.GetString(0), r.GetString(1)));

            await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
            Assert.Equal(original, await Sql.ListAsync(database.DataSource, "SELECT who, path FROM public.seen", r => (r.GetString(0), r.GetString(1))));
        }
        finally
        {
            await Sql.ExecuteAsync(database.DataSource, $"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_migrations_SET_timezone_does_not_reach_the_next_migration()
    {
        // lemmy's 2023-08-02-174444_fix-timezones sets the session's time zone to convert its columns; psql ran each
        // file in a new session, so the next file converted under the server's own zone again.
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(1, "SET timezone = 'UTC';\nCREATE TABLE converted (at timestamptz);", name: "fix_timezones"),
            TestCatalog.Migration(2, "CREATE TABLE seen AS SELECT current_setting('TimeZone') AS zone;", name: "seen"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var london = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Timezone = "Europe/London" }.ConnectionString);

        await SchemaMigrator.MigrateAsync(catalog, london, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["Europe/London"], await Sql.ListAsync(database.DataSource, "SELECT zone FROM seen", r => r.GetString(0)));
    }

    [Fact]
    public async Task A_setting_the_callers_session_made_before_the_run_is_what_every_migration_starts_with()
    {
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(1, "CREATE SCHEMA app;\nSET search_path = public;", name: "app"),
            TestCatalog.Migration(2, "CREATE TABLE public.seen AS SELECT current_setting('search_path') AS path;", name: "seen"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = new NpgsqlCommand("SET search_path = app, public", connection);
                command.ExecuteNonQuery();
            },
            async connection =>
            {
                await using var command = new NpgsqlCommand("SET search_path = app, public", connection);
                await command.ExecuteNonQueryAsync();
            });
        await using var dataSource = builder.Build();

        await SchemaMigrator.MigrateAsync(catalog, dataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["app, public"], await Sql.ListAsync(database.DataSource, "SELECT path FROM public.seen", r => r.GetString(0)));
    }

    private static Task<List<(string Version, string Checksum)>> HistoryAsync(NpgsqlDataSource dataSource, string table) =>
        Sql.ListAsync(dataSource, $"SELECT version, checksum FROM {table} ORDER BY version", r => (r.GetString(0), r.GetString(1)));

    private static Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, string table) =>
        Sql.ListAsync(dataSource, $"SELECT t::text FROM {table} t ORDER BY 1", r => r.GetString(0));

    /// <summary>Every relation and schema of the database with its columns: what a refusal must leave as it was.</summary>
    private static Task<List<string>> SchemaAsync(NpgsqlDataSource dataSource) => Sql.ListAsync(
        dataSource,
        """
        SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0), '')
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
        UNION ALL SELECT 'row ' || t::text FROM schema_migrations t
        ORDER BY 1
        """,
        r => r.GetString(0));
}
