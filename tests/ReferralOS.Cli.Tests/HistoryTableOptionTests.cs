using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary>Issue 14.4: <c>--history-table</c> on every command that reads or writes the history, against real PostgreSQL databases.</summary>
public sealed class HistoryTableOptionTests(PostgresServerFixture postgres)
{
    private const string Custom = "ops.referralos_history";
    private const string GolangMigrate = "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (20240101120000, false)";

    [Fact]
    public async Task Migrate_with_history_table_creates_its_schema_records_there_and_never_creates_schema_migrations()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("migrate", "--history-table", Custom, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(ReferralOsSchema.Migrations.Count, await Sql.CountAsync(database.DataSource, Custom));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Status_with_history_table_reads_that_table()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--history-table", Custom, "--connection", database.ConnectionString);

        var run = await CliRun.RunAsync("status", "--history-table", Custom, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal($"{ReferralOsSchema.Migrations.Count} applied, 0 pending: the database is up to date.", run.OutLines[^1]);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Rollback_with_history_table_removes_its_rows_from_that_table()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--history-table", Custom, "--connection", database.ConnectionString);

        var run = await CliRun.RunAsync("rollback", "--to", "008_create_webhook_events", "--force", "--history-table", Custom, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(8, await Sql.CountAsync(database.DataSource, Custom));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "audit_logs"));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Migrate_dry_run_with_history_table_plans_its_schema_and_its_rows()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("migrate", "--dry-run", "--history-table", Custom, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS \"ops\";\nCREATE TABLE IF NOT EXISTS \"ops\".\"referralos_history\" (", run.Out, StringComparison.Ordinal);
        Assert.Contains($"INSERT INTO \"ops\".\"referralos_history\" (version, checksum) VALUES ('001_create_extensions', '{ReferralOsSchema.Migrations[0].Checksum}');", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("schema_migrations", run.Out, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, Custom));
    }

    [Fact]
    public async Task Seed_with_history_table_is_refused_on_a_database_that_table_marks_production()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--environment", "production", "--history-table", Custom, "--connection", database.ConnectionString);

        var run = await CliRun.RunAsync("seed", "--environment", "development", "--history-table", Custom, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.Contains("COMMENT ON TABLE \"ops\".\"referralos_history\" IS NULL", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "tenants"));
    }

    [Fact]
    public async Task Seed_without_history_table_is_refused_on_a_database_another_history_table_marks_production()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--environment", "production", "--history-table", Custom, "--connection", database.ConnectionString);

        var run = await CliRun.RunAsync("seed", "--environment", "development", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        var message = Assert.Single(run.ErrorLines);
        Assert.Contains("on its history table ops.referralos_history", message, StringComparison.Ordinal);
        Assert.Contains("COMMENT ON TABLE \"ops\".\"referralos_history\" IS NULL", message, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "tenants"));
    }

    [Fact]
    public async Task Reset_with_history_table_drops_that_table_too_so_that_migrate_starts_over()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--history-table", Custom, "--connection", database.ConnectionString);

        var run = await CliRun.RunAsync("reset", "--force", "--history-table", Custom, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains($"applied {ReferralOsSchema.Migrations.Count} migrations", run.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(ReferralOsSchema.Migrations.Count, await Sql.CountAsync(database.DataSource, Custom));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Verify_with_history_table_checks_what_that_table_recorded()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--history-table", Custom, "--connection", database.ConnectionString);
        await Sql.ExecuteAsync(database.DataSource, $"UPDATE {Custom} SET checksum = repeat('0', 64) WHERE version = '002_create_tenants'");

        var folder = TestFolders.CopyOfExecution("referralos-history-verify");
        CliRun run;
        try
        {
            run = await CliRun.RunAsync(folder, new Dictionary<string, string>(), "verify", "--history-table", Custom, "--connection", database.ConnectionString);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, line => line.StartsWith($"002_create_tenants was edited after it was applied: the database records checksum {new string('0', 64)}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_refuses_golang_migrates_schema_migrations_with_the_validation_code_and_names_history_table()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, GolangMigrate);

        var run = await CliRun.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        var message = Assert.Single(run.ErrorLines);
        Assert.Contains("has another layout (version bigint, dirty boolean), which looks like golang-migrate's schema_migrations(version, dirty)", message, StringComparison.Ordinal);
        Assert.Contains("--history-table", message, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "tenants"));
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Migrate_with_history_table_works_beside_golang_migrates_schema_migrations_and_leaves_it_untouched()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(database.DataSource, GolangMigrate);

        var run = await CliRun.RunAsync("migrate", "--history-table", "referralos_history", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(ReferralOsSchema.Migrations.Count, await Sql.CountAsync(database.DataSource, "referralos_history"));
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "schema_migrations WHERE version = 20240101120000 AND NOT dirty"));
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("ops.")]
    [InlineData(" schema_migrations")]
    public async Task A_history_table_that_is_not_name_or_schema_name_exits_with_the_usage_code(string table)
    {
        var run = await CliRun.RunAsync("migrate", "--history-table", table);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--history-table is '{table}', which is not a history table name: write name or schema.name, e.g. referralos_history or ops.referralos_history (each part at most 63 bytes, without surrounding spaces; it is quoted as written).", run.ErrorLines);
    }
}
