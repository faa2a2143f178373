using ReferralOS.Schema;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// <c>--execution &lt;folder&gt;</c>: the commands work on a project's own schema, compiled in process by the build's
/// generator, against a real PostgreSQL database of each test's own.
/// </summary>
public sealed class ExecutionOptionTests(PostgresServerFixture postgres) : IDisposable
{
    private const string CreateWidgets = """
        -- Migration: 001_create_widgets
        -- Description: Create widgets
        -- Created: 2026-01-01T00:00:00Z

        -- Up Migration
        CREATE TABLE IF NOT EXISTS widgets (
          id BIGSERIAL PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        );

        -- Down Migration (commented, for reference)
        -- DROP TABLE IF EXISTS widgets;

        """;

    private const string CreateGadgets = """
        -- Migration: 002_create_gadgets
        -- Description: Create gadgets
        -- Created: 2026-01-02T00:00:00Z

        -- Up Migration
        CREATE TABLE IF NOT EXISTS gadgets (id BIGSERIAL PRIMARY KEY, label TEXT NOT NULL);

        -- Down Migration (commented, for reference)
        -- DROP TABLE IF EXISTS gadgets;

        """;

    private const string DefaultWidget = """
        -- Seed: 001_default_widget
        -- Description: One widget to look at
        -- Environment: development, test

        INSERT INTO widgets (name) VALUES ('sprocket') ON CONFLICT (name) DO NOTHING;

        """;

    private readonly string _folder = TestFolders.Create("referralos-execution");

    private string Db => Path.Combine(_folder, "db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Status_with_execution_lists_that_folder_s_migrations_not_the_compiled_in_schema()
    {
        Write("migrations/001_create_widgets.sql", CreateWidgets);
        Write("migrations/002_create_gadgets.sql", CreateGadgets);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await RunAsync("status", "--execution", "db", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal($"Schema: {Db}, compiled: 2 migrations, 0 seeds.", run.OutLines[0]);
        Assert.Equal(["001_create_widgets", "002_create_gadgets"], run.OutLines.Where(l => l.EndsWith(" pending", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]));
        Assert.DoesNotContain(run.OutLines, l => l.StartsWith("001_create_extensions", StringComparison.Ordinal));
        Assert.Equal("0 applied, 2 pending: run 'referralos-db migrate' to apply them.", run.OutLines[^1]);
    }

    [Fact]
    public async Task Migrate_with_execution_applies_that_folder_and_records_each_file_s_checksum()
    {
        Write("migrations/001_create_widgets.sql", CreateWidgets);
        Write("migrations/002_create_gadgets.sql", CreateGadgets);
        Write("seeds/001_default_widget.sql", DefaultWidget);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await RunAsync("migrate", "--seed", "--execution", "db", "-c", database.ConnectionString);
        var again = await RunAsync("status", "--execution", "db", "-c", database.ConnectionString);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Contains("applied 2 migrations (now 2 of 2, up to date); ran 1 seed for development, 1 row inserted", run.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "widgets"));
        Assert.True(await Sql.TableExistsAsync(database.DataSource, "gadgets"));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "tenants"));
        await using var checksum = database.DataSource.CreateCommand("SELECT checksum FROM schema_migrations WHERE version = '002_create_gadgets'");
        Assert.Equal(SqlFileChecksum.Compute(CreateGadgets), await checksum.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Equal("2 applied, 0 pending: the database is up to date.", again.OutLines[^1]);
    }

    [Fact]
    public async Task Migrate_dry_run_with_execution_prints_that_folder_s_sql_and_changes_nothing()
    {
        Write("migrations/001_create_widgets.sql", CreateWidgets);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await RunAsync("migrate", "--dry-run", "--execution", "db", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("CREATE TABLE IF NOT EXISTS widgets (", run.Out, StringComparison.Ordinal);
        Assert.Contains($"Schema: {Db}, compiled: 1 migration, 0 seeds.", run.ErrorLines);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "widgets"));
    }

    [Fact]
    public async Task A_folder_that_does_not_build_is_reported_like_lint_and_refused_before_the_database_is_touched()
    {
        Write("migrations/001_create_widgets.sql", CreateWidgets);
        Write("migrations/003_drop_name.sql", CreateGadgets.Replace("002_create_gadgets", "003_drop_name", StringComparison.Ordinal));
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await RunAsync("migrate", "--execution", "db", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith(Path.Combine("db", "migrations", "003_drop_name.sql") + "(1,1): error ROS", StringComparison.Ordinal));
        Assert.StartsWith($"error: {Db} does not build: ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain(run.OutLines, l => l.StartsWith("Database:", StringComparison.Ordinal));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task An_imported_history_migrates_and_rolls_back_through_the_down_files_it_came_with()
    {
        Write("goose/00001_create_widgets.sql", "-- +goose Up\nCREATE TABLE widgets (id BIGSERIAL PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE widgets;\n");
        Write("goose/00002_create_gadgets.sql", "-- +goose Up\nCREATE TABLE gadgets (id BIGSERIAL PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE gadgets;\n");
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var import = await RunAsync("import", "--from", "goose", "db/goose", "--execution", "db/imported");
        var migrate = await RunAsync("migrate", "--execution", "db/imported", "-c", database.ConnectionString);
        var verify = await RunAsync("verify", "--strict", "--execution", "db/imported", "-c", database.ConnectionString);
        var rollback = await RunAsync("rollback", "--to", "001_create_widgets", "--force", "--execution", "db/imported", "-c", database.ConnectionString);

        Assert.Equal([ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Ok], new[] { import, migrate, verify, rollback }.Select(r => r.ExitCode));
        Assert.Equal("Verified 2 migrations against migrations.lock and the database: everything matches.", verify.OutLines[^1]);
        Assert.True(await Sql.TableExistsAsync(database.DataSource, "widgets"));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "gadgets"));
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(Db, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_folder, new Dictionary<string, string>(), args);
}
