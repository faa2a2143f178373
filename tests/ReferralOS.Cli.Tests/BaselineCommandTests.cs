using ReferralOS.Schema;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;
using ReferralOS.Sdk.Tests;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// Issue 14.3: <c>referralos-db baseline</c> against real PostgreSQL — to a version of the compiled-in schema, and from
/// the history tables of the six tools <c>import</c> reads, on folders <c>import</c> converted.
/// </summary>
public sealed class BaselineCommandTests(PostgresServerFixture postgres) : IDisposable
{
    private readonly string _folder = TestFolders.Create("referralos-baseline");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Baseline_to_a_version_records_the_migrations_up_to_it_and_migrate_applies_only_the_rest()
    {
        await using var database = await BuiltWithoutHistoryAsync(7);

        var baseline = await RunAsync("baseline", "--to", "007_create_api_keys", "-c", database.ConnectionString);
        var migrate = await RunAsync("migrate", "-c", database.ConnectionString);

        Assert.True(baseline.ExitCode == ExitCodes.Ok, baseline.Error);
        Assert.StartsWith("Baselined in ", baseline.OutLines[^1], StringComparison.Ordinal);
        Assert.EndsWith(
            ": recorded 7 migrations as applied, without running them: 001_create_extensions … 007_create_api_keys; 'referralos-db migrate' applies those above it.",
            baseline.OutLines[^1],
            StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, migrate.ExitCode);
        Assert.Contains("applied 3 migrations (now 10 of 10, up to date)", migrate.OutLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(migrate.OutLines, l => l.Contains("001_create_extensions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Baseline_refuses_a_database_that_already_records_the_migrations_with_exit_3_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var run = await RunAsync("baseline", "--to", "003_create_users", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.StartsWith(
            "error: Refused to baseline to 003_create_users: public.schema_migrations already records 001_create_extensions, 002_create_tenants, 003_create_users, which the baseline would record.",
            Assert.Single(run.ErrorLines),
            StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_to_a_version_the_code_does_not_have_exits_3_and_creates_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var run = await RunAsync("baseline", "--to", "011_create_payouts", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.StartsWith("error: Cannot baseline to 011_create_payouts: the code has no migration of that version.", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Theory]
    [InlineData("diesel")]
    [InlineData("golang-migrate")]
    [InlineData("flyway")]
    [InlineData("dbmate")]
    [InlineData("goose")]
    [InlineData("sqlx")]
    public async Task Baseline_from_history_records_exactly_what_the_tool_applied_to_a_database_it_migrated(string tool)
    {
        var source = Sources[tool];
        foreach (var (path, text) in source.Files)
        {
            Write(Path.Combine("source", path), text);
        }

        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, "CREATE TABLE a (id int); CREATE TABLE b (id int);");
        foreach (var sql in source.History)
        {
            await Sql.ExecuteAsync(database.DataSource, sql);
        }

        var import = await RunAsync("import", "--from", tool, "source", "--execution", "db");
        var baseline = await RunAsync(["baseline", "--from-history", tool, "--execution", "db", "-c", database.ConnectionString, .. source.Options]);

        Assert.True(import.ExitCode == ExitCodes.Ok, import.Error);
        Assert.True(baseline.ExitCode == ExitCodes.Ok, baseline.Error);
        Assert.EndsWith($": recorded 2 migrations as applied, without running them: 001_create_a … 002_create_b (the last is {tool} {source.SecondVersion}); 'referralos-db migrate' applies those above it.", baseline.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(2, await Sql.CountAsync(database.DataSource, source.HistoryTable));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "c"));
    }

    [Fact]
    public async Task Migrate_after_a_baseline_from_history_applies_only_what_the_tool_had_not()
    {
        foreach (var (path, text) in Sources["diesel"].Files)
        {
            Write(Path.Combine("source", path), text);
        }

        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, "CREATE TABLE a (id int); CREATE TABLE b (id int);");
        foreach (var sql in Sources["diesel"].History)
        {
            await Sql.ExecuteAsync(database.DataSource, sql);
        }

        await RunAsync("import", "--from", "diesel", "source", "--execution", "db");
        await RunAsync("baseline", "--from-history", "diesel", "--execution", "db", "-c", database.ConnectionString);
        var migrate = await RunAsync("migrate", "--execution", "db", "-c", database.ConnectionString);

        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.Error);
        Assert.Contains("applied 1 migration (now 3 of 3, up to date)", migrate.OutLines[^1], StringComparison.Ordinal);
        Assert.True(await Sql.TableExistsAsync(database.DataSource, "c"));
    }

    [Fact]
    public async Task A_dirty_golang_migrate_history_exits_3_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, ForeignTables.GolangMigrate);
        await Sql.ExecuteAsync(database.DataSource, ForeignTables.GolangMigrateAt(4, dirty: true));
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var run = await RunAsync("baseline", "--from-history", "golang-migrate", "--history-table", "referralos.schema_migrations", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.StartsWith("error: golang-migrate's public.schema_migrations records version 4 as dirty: that migration failed part-way", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Fact]
    public async Task Baseline_from_golang_migrate_without_a_history_table_of_its_own_is_refused_naming_the_option()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, ForeignTables.GolangMigrate);
        await Sql.ExecuteAsync(database.DataSource, ForeignTables.GolangMigrateAt(2));
        var before = await DatabaseState.ReadAsync(database.DataSource);

        var run = await RunAsync("baseline", "--from-history", "golang-migrate", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        var error = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: golang-migrate keeps its history in schema_migrations, and so would ReferralOS", error, StringComparison.Ordinal);
        Assert.Contains("(the CLI's --history-table), e.g. referralos.schema_migrations", error, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseState.ReadAsync(database.DataSource));
    }

    [Theory]
    [InlineData(new string[0], "Name what to baseline, one way: --to <version> (every migration up to it), or --from-history <tool> (exactly what that tool applied).")]
    [InlineData(new[] { "--to", "002_create_tenants", "--from-history", "diesel" }, "Name what to baseline, one way: --to <version> (every migration up to it), or --from-history <tool> (exactly what that tool applied).")]
    [InlineData(new[] { "--to", "002_create_tenants", "--from-table", "schema_version" }, "--from-table names the other tool's history table: use it with --from-history.")]
    [InlineData(new[] { "--from-history", "liquibase" }, "--from-history is 'liquibase', which is not a tool whose history baseline reads: use diesel, golang-migrate, flyway, dbmate, goose, sqlx.")]
    public async Task A_baseline_command_line_that_does_not_say_what_to_record_exits_with_the_usage_code(string[] options, string message)
    {
        var run = await RunAsync(["baseline", .. options]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.ErrorLines);
    }

    [Fact]
    public async Task A_history_table_that_is_not_a_table_name_exits_with_the_usage_code()
    {
        var run = await RunAsync("baseline", "--to", "002_create_tenants", "--history-table", "a.b.c", "-c", "Host=127.0.0.1;Port=1;Database=none");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        // The option every database command shares: the parser's error, then the pointer to --help that every usage error ends with.
        Assert.StartsWith("--history-table is 'a.b.c', which is not a history table name: write name or schema.name", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal(2, run.ErrorLines.Count);
    }

    /// <summary>Each tool's folder of three migrations (tables a, b, c), and its history after it applied the first two.</summary>
    private static readonly Dictionary<string, Source> Sources = new()
    {
        ["diesel"] = new(
            new()
            {
                ["2019-02-23-172340_create_a/up.sql"] = "CREATE TABLE a (id int);\n",
                ["2019-02-23-172340_create_a/down.sql"] = "DROP TABLE a;\n",
                ["2019-03-01-101010_create_b/up.sql"] = "CREATE TABLE b (id int);\n",
                ["2020-01-01-000000_create_c/up.sql"] = "CREATE TABLE c (id int);\n",
            },
            [ForeignTables.Diesel, "INSERT INTO __diesel_schema_migrations (version) VALUES ('20190223172340'), ('20190301101010')"],
            "20190301101010"),
        ["golang-migrate"] = new(
            new()
            {
                ["1_create_a.up.sql"] = "CREATE TABLE a (id int);\n",
                ["1_create_a.down.sql"] = "DROP TABLE a;\n",
                ["2_create_b.up.sql"] = "CREATE TABLE b (id int);\n",
                ["3_create_c.up.sql"] = "CREATE TABLE c (id int);\n",
            },
            [ForeignTables.GolangMigrate, ForeignTables.GolangMigrateAt(2)],
            "2",
            OwnHistory: true),
        ["flyway"] = new(
            new()
            {
                ["V1__create_a.sql"] = "CREATE TABLE a (id int);\n",
                ["V1_1__create_b.sql"] = "CREATE TABLE b (id int);\n",
                ["V2__create_c.sql"] = "CREATE TABLE c (id int);\n",
            },
            [ForeignTables.Flyway, ForeignTables.FlywayRow(1, "1", "create a", "SQL", "V1__create_a.sql"), ForeignTables.FlywayRow(2, "1.1", "create b", "SQL", "V1_1__create_b.sql")],
            "1.1"),
        ["dbmate"] = new(
            new()
            {
                ["20200101120000_create_a.sql"] = "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n",
                ["20200201120000_create_b.sql"] = "-- migrate:up\nCREATE TABLE b (id int);\n",
                ["20200301120000_create_c.sql"] = "-- migrate:up\nCREATE TABLE c (id int);\n",
            },
            [ForeignTables.Dbmate, """INSERT INTO "public"."schema_migrations" (version) VALUES ('20200101120000'), ('20200201120000')"""],
            "20200201120000",
            OwnHistory: true),
        ["goose"] = new(
            new()
            {
                ["00001_create_a.sql"] = "-- +goose Up\nCREATE TABLE a (id int);\n\n-- +goose Down\nDROP TABLE a;\n",
                ["00002_create_b.sql"] = "-- +goose Up\nCREATE TABLE b (id int);\n",
                ["00003_create_c.sql"] = "-- +goose Up\nCREATE TABLE c (id int);\n",
            },
            [ForeignTables.Goose, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true), (2, true)"],
            "2"),
        ["sqlx"] = new(
            new()
            {
                ["20220101000000_create_a.sql"] = "CREATE TABLE a (id int);\n",
                ["20220201000000_create_b.sql"] = "CREATE TABLE b (id int);\n",
                ["20220301000000_create_c.sql"] = "CREATE TABLE c (id int);\n",
            },
            [ForeignTables.Sqlx, ForeignTables.SqlxRow(20220101000000, "create a"), ForeignTables.SqlxRow(20220201000000, "create b")],
            "20220201000000"),
    };

    /// <summary>A database with the first <paramref name="count"/> ReferralOS migrations applied and no history: as a database built some other way.</summary>
    private async Task<TestDatabase> BuiltWithoutHistoryAsync(int count)
    {
        var database = await postgres.CreateDatabaseAsync(new MigrationCatalog(ReferralOsSchema.Migrations.Take(count).ToArray(), []), TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DROP TABLE schema_migrations");
        return database;
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(_folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_folder, new Dictionary<string, string>(), args);

    /// <param name="Files">The tool's migration folder.</param>
    /// <param name="History">The tool's history table, created as the tool creates it, and its rows after the first two migrations.</param>
    /// <param name="SecondVersion">The second migration's version, as the tool records it.</param>
    /// <param name="OwnHistory">The tool's table is named schema_migrations, so ReferralOS's goes elsewhere.</param>
    private sealed record Source(Dictionary<string, string> Files, string[] History, string SecondVersion, bool OwnHistory = false)
    {
        public string[] Options => OwnHistory ? ["--history-table", "referralos.schema_migrations"] : [];

        public string HistoryTable => OwnHistory ? "referralos.schema_migrations" : "schema_migrations";
    }
}
