using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 14.3: <see cref="SchemaMigrator.BaselineFromHistoryAsync"/> reads another tool's own history table, in that
/// tool's real layout (<see cref="ForeignTables"/>), and baselines exactly what the tool applied — matched by each
/// migration's Imported-From version — or refuses, changing nothing.
/// </summary>
public sealed class BaselineFromHistoryTests(PostgresServerFixture postgres)
{
    /// <summary>ReferralOS's history beside golang-migrate's and dbmate's schema_migrations.</summary>
    private static readonly MigrationOptions OwnTable = new() { HistoryTable = "referralos.schema_migrations" };

    [Fact]
    public async Task Diesel_history_is_baselined_row_for_row()
    {
        var catalog = Imported("diesel", "20190223172340", "20190301101010", "20200101000000", "20210101000000");
        await using var database = await AdoptedAsync(catalog, 3, ForeignTables.Diesel, "INSERT INTO __diesel_schema_migrations (version) VALUES ('20190223172340'), ('20190301101010'), ('20200101000000')");

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("diesel", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
        Assert.Equal(catalog.Migrations.Take(3).Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM __diesel_schema_migrations"));
    }

    [Fact]
    public async Task Golang_migrate_s_version_counts_every_file_up_to_it_as_applied_compared_as_numbers()
    {
        var catalog = Imported("golang-migrate", "1", "2", "10", "11");
        await using var database = await AdoptedAsync(catalog, 3, ForeignTables.GolangMigrate, ForeignTables.GolangMigrateAt(10));

        var result = await new SchemaMigrator(catalog, database.DataSource, OwnTable).BaselineFromHistoryAsync("golang-migrate", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM referralos.schema_migrations"));
        Assert.Equal((10L, false), (await Sql.ListAsync(database.DataSource, "SELECT version, dirty FROM public.schema_migrations", r => (r.GetInt64(0), r.GetBoolean(1))))[0]);
    }

    [Fact]
    public async Task Flyway_history_is_baselined_by_version_and_its_repeatable_migrations_are_skipped()
    {
        var catalog = Imported("flyway", "1", "1.1", "2", "3");
        await using var database = await AdoptedAsync(
            catalog,
            3,
            ForeignTables.Flyway,
            ForeignTables.FlywayRow(1, "1", "step 1", "SQL", "V1__step_1.sql"),
            ForeignTables.FlywayRow(2, "1.1", "step 2", "SQL", "V1_1__step_2.sql"),
            ForeignTables.FlywayRow(3, null, "views", "SQL", "R__views.sql"),
            ForeignTables.FlywayRow(4, "2", "step 3", "SQL", "V2__step_3.sql"));

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("flyway", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
    }

    [Fact]
    public async Task Flyway_s_baseline_row_counts_every_version_up_to_it_as_applied()
    {
        var catalog = Imported("flyway", "1", "1.1", "2", "3");
        await using var database = await AdoptedAsync(
            catalog,
            3,
            ForeignTables.Flyway,
            ForeignTables.FlywayRow(1, "1.1", "<< Flyway Baseline >>", "BASELINE", "<< Flyway Baseline >>"),
            ForeignTables.FlywayRow(2, "2", "step 3", "SQL", "V2__step_3.sql"));

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("flyway", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
    }

    [Fact]
    public async Task Dbmate_history_is_baselined_row_for_row_beside_its_schema_migrations()
    {
        var catalog = Imported("dbmate", "20200101120000", "20200201120000", "20200301120000", "20200401120000");
        await using var database = await AdoptedAsync(catalog, 3, ForeignTables.Dbmate, """INSERT INTO "public"."schema_migrations" (version) VALUES ('20200101120000'), ('20200201120000'), ('20200301120000')""");

        var result = await new SchemaMigrator(catalog, database.DataSource, OwnTable).BaselineFromHistoryAsync("dbmate", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM referralos.schema_migrations"));
    }

    [Fact]
    public async Task Goose_history_is_baselined_without_its_version_0_row()
    {
        var catalog = Imported("goose", "1", "2", "3", "4");
        await using var database = await AdoptedAsync(catalog, 3, ForeignTables.Goose, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true), (2, true), (3, true)");

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("goose", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
    }

    [Fact]
    public async Task Goose_s_latest_row_of_a_version_decides_whether_it_is_applied()
    {
        var catalog = Imported("goose", "1", "2", "3", "4");
        await using var database = await AdoptedAsync(catalog, 2, ForeignTables.Goose, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true), (2, true), (3, true), (3, false)");

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("goose", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2"], result.Recorded.Select(m => m.Version));
    }

    [Fact]
    public async Task Sqlx_history_is_baselined_row_for_row()
    {
        var catalog = Imported("sqlx", "20220101000000", "20220201000000", "20220301000000", "20220401000000");
        await using var database = await AdoptedAsync(
            catalog,
            3,
            ForeignTables.Sqlx,
            ForeignTables.SqlxRow(20220101000000, "step 1"),
            ForeignTables.SqlxRow(20220201000000, "step 2"),
            ForeignTables.SqlxRow(20220301000000, "step 3"));

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("sqlx", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2", "003_step_3"], result.Recorded.Select(m => m.Version));
    }

    [Fact]
    public async Task A_dirty_golang_migrate_version_is_refused_and_nothing_changes()
    {
        var catalog = Imported("golang-migrate", "1", "2", "3");
        await using var database = await AdoptedAsync(catalog, 2, ForeignTables.GolangMigrate, ForeignTables.GolangMigrateAt(2, dirty: true));
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource, OwnTable).BaselineFromHistoryAsync("golang-migrate", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((BaselineRefusal.ForeignHistoryFailed, "golang-migrate"), (refused.Reason, refused.Tool));
        Assert.Equal(["2"], refused.Versions);
        Assert.StartsWith("golang-migrate's public.schema_migrations records version 2 as dirty: that migration failed part-way", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'migrate force <version>'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task A_failed_flyway_migration_is_refused_and_nothing_changes()
    {
        var catalog = Imported("flyway", "1", "2", "3");
        await using var database = await AdoptedAsync(
            catalog,
            2,
            ForeignTables.Flyway,
            ForeignTables.FlywayRow(1, "1", "step 1", "SQL", "V1__step_1.sql"),
            ForeignTables.FlywayRow(2, "2", "step 2", "SQL", "V2__step_2.sql", success: false));
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("flyway", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.ForeignHistoryFailed, refused.Reason);
        Assert.StartsWith("Flyway's public.flyway_schema_history records a failed migration (installed_rank 2, version 2, type SQL, success = false)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'flyway repair'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task A_failed_sqlx_migration_is_refused_and_nothing_changes()
    {
        var catalog = Imported("sqlx", "1", "2", "3");
        await using var database = await AdoptedAsync(catalog, 2, ForeignTables.Sqlx, ForeignTables.SqlxRow(1, "step 1"), ForeignTables.SqlxRow(2, "step 2", success: false));
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("sqlx", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((BaselineRefusal.ForeignHistoryFailed, "2"), (refused.Reason, Assert.Single(refused.Versions)));
        Assert.StartsWith("sqlx's public._sqlx_migrations records version 2 with success = false", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Golang_migrate_s_schema_migrations_is_refused_as_referralos_s_own_history_table()
    {
        var catalog = Imported("golang-migrate", "1", "2");
        await using var database = await AdoptedAsync(catalog, 2, ForeignTables.GolangMigrate, ForeignTables.GolangMigrateAt(2));
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("golang-migrate", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.HistoryTableClash, refused.Reason);
        Assert.Equal(
            "golang-migrate keeps its history in schema_migrations, and so would ReferralOS (MigrationOptions.HistoryTable is schema_migrations): ReferralOS never writes into another tool's table. " +
            "Give ReferralOS a history table of its own with MigrationOptions.HistoryTable (the CLI's --history-table), e.g. referralos.schema_migrations, and use the same with every later command. Nothing was changed.",
            refused.Message);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Dbmate_s_schema_migrations_named_with_its_schema_is_refused_as_referralos_s_own_history_table()
    {
        var catalog = Imported("dbmate", "20200101120000");
        await using var database = await AdoptedAsync(catalog, 1, ForeignTables.Dbmate, """INSERT INTO "public"."schema_migrations" (version) VALUES ('20200101120000')""");
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource, new MigrationOptions { HistoryTable = "public.schema_migrations" })
                .BaselineFromHistoryAsync("dbmate", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.HistoryTableClash, refused.Reason);
        Assert.StartsWith("dbmate keeps its history in public.schema_migrations, and so would ReferralOS", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task A_schema_migrations_of_the_tool_in_another_schema_is_read_beside_referralos_s_default_one()
    {
        var catalog = Imported("golang-migrate", "1", "2");
        await using var database = await AdoptedAsync(
            catalog,
            2,
            "CREATE SCHEMA gm",
            ForeignTables.GolangMigrate.Replace("\"public\"", "\"gm\"", StringComparison.Ordinal),
            ForeignTables.GolangMigrateAt(2).Replace("\"public\"", "\"gm\"", StringComparison.Ordinal));

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("golang-migrate", "gm.schema_migrations", TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1", "002_step_2"], result.Recorded.Select(m => m.Version));
        Assert.Equal(catalog.Migrations.Take(2).Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    [Fact]
    public async Task An_applied_set_that_is_not_the_first_migrations_is_refused_naming_those_missing()
    {
        var catalog = Imported("dbmate", "20200101120000", "20200201120000", "20200301120000");
        await using var database = await AdoptedAsync(catalog, 0, ForeignTables.Dbmate, """INSERT INTO "public"."schema_migrations" (version) VALUES ('20200101120000'), ('20200301120000')""");
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource, OwnTable).BaselineFromHistoryAsync("dbmate", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((BaselineRefusal.ForeignHistoryNotAPrefix, "002_step_2"), (refused.Reason, Assert.Single(refused.Versions)));
        Assert.StartsWith(
            "dbmate applied 003_step_3 (dbmate 20200301120000) but not 002_step_2 (dbmate 20200201120000) below it, as public.schema_migrations records:",
            refused.Message,
            StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task A_version_no_migration_was_imported_from_is_refused()
    {
        var catalog = Imported("diesel", "20190223172340", "20190301101010");
        await using var database = await AdoptedAsync(catalog, 0, ForeignTables.Diesel, "INSERT INTO __diesel_schema_migrations (version) VALUES ('20190223172340'), ('20990101000000')");
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("diesel", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((BaselineRefusal.ForeignHistoryUnmatched, "20990101000000"), (refused.Reason, Assert.Single(refused.Versions)));
        Assert.StartsWith("public.__diesel_schema_migrations records diesel version 20990101000000, which no migration here was imported from", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task A_catalog_with_nothing_imported_from_the_tool_is_refused()
    {
        var catalog = Imported("diesel", "20190223172340");
        await using var database = await AdoptedAsync(catalog, 0, ForeignTables.Goose, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true)");

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("goose", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.ForeignHistoryUnmatched, refused.Reason);
        Assert.StartsWith("No migration here was imported from goose (none has a '-- Imported-From: goose <version>' header)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_history_table_of_the_tool_is_refused_and_nothing_changes()
    {
        var catalog = Imported("sqlx", "1");
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("sqlx", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.ForeignHistoryUnreadable, refused.Reason);
        Assert.StartsWith("Found no sqlx history table _sqlx_migrations in this database (looked up through the connection's search_path)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Another_tool_s_table_of_the_name_is_refused_naming_the_layout_found()
    {
        var catalog = Imported("dbmate", "1");
        await using var database = await AdoptedAsync(catalog, 0, ForeignTables.GolangMigrate, ForeignTables.GolangMigrateAt(1));

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource, OwnTable).BaselineFromHistoryAsync("dbmate", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.ForeignHistoryUnreadable, refused.Reason);
        Assert.StartsWith("public.schema_migrations is not dbmate's history table: it has (version bigint, dirty boolean), which looks like golang-migrate's schema_migrations(version, dirty)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_table_of_another_name_is_read_when_named()
    {
        var catalog = Imported("flyway", "1", "2");
        await using var database = await AdoptedAsync(
            catalog,
            2,
            ForeignTables.Flyway.Replace("flyway_schema_history", "schema_version", StringComparison.Ordinal),
            ForeignTables.FlywayRow(1, "1", "step 1", "SQL", "V1__step_1.sql").Replace("flyway_schema_history", "schema_version", StringComparison.Ordinal));

        var result = await new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("flyway", "public.schema_version", TestContext.Current.CancellationToken);

        Assert.Equal(["001_step_1"], result.Recorded.Select(m => m.Version));
    }

    [Fact]
    public async Task A_history_with_nothing_applied_is_refused()
    {
        var catalog = Imported("goose", "1");
        await using var database = await AdoptedAsync(catalog, 0, ForeignTables.Goose);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(
            () => new SchemaMigrator(catalog, database.DataSource).BaselineFromHistoryAsync("goose", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(BaselineRefusal.NothingApplied, refused.Reason);
        Assert.StartsWith("public.goose_db_version records no applied goose migration, so there is nothing to baseline.", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Migrations imported from <paramref name="tool"/> with these versions, each creating a table, then one written for ReferralOS.</summary>
    private static MigrationCatalog Imported(string tool, params string[] versions) => TestCatalog.Of(
        [
            .. versions.Select((version, i) => TestCatalog.Migration(i + 1, $"CREATE TABLE step_{i + 1} (id int);", name: $"step_{i + 1}", importedFrom: new MigrationOrigin(tool, version))),
            TestCatalog.Migration(versions.Length + 1, "CREATE TABLE native (id int);", name: "native"),
        ]);

    /// <summary>A database the tool migrated: the tables of its first <paramref name="applied"/> migrations, its history table and its rows.</summary>
    private async Task<TestDatabase> AdoptedAsync(MigrationCatalog catalog, int applied, params string[] tool)
    {
        var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        foreach (var sql in Enumerable.Range(1, applied).Select(n => $"CREATE TABLE step_{n} (id int)").Concat(tool))
        {
            await Sql.ExecuteAsync(database.DataSource, sql);
        }

        return database;
    }
}
