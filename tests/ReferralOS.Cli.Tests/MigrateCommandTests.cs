using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db migrate</c> against a real PostgreSQL database of each test's own.</summary>
public sealed class MigrateCommandTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Migrate_applies_every_migration_with_a_progress_line_each_and_ends_with_one_summary()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Empty(run.Error);
        foreach (var migration in ReferralOsSchema.Migrations)
        {
            Assert.Single(run.OutLines, line => line.Contains(migration.Version, StringComparison.Ordinal) && line.EndsWith(" ms", StringComparison.Ordinal));
        }

        Assert.StartsWith("Migrated in ", run.OutLines[^1], StringComparison.Ordinal);
        Assert.Contains("applied 10 migrations", run.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "tenants"));
    }

    [Fact]
    public async Task Migrate_on_an_up_to_date_database_applies_nothing_and_says_so()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain(run.OutLines, line => line.Contains("Applied migration", StringComparison.Ordinal));
        Assert.Contains("all 10 migrations already applied", run.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_with_seed_runs_the_development_seeds_and_inserts_nothing_the_second_time()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var first = await CliRun.RunAsync("migrate", "--seed", "--connection", database.ConnectionString);
        var second = await CliRun.RunAsync("migrate", "--seed", "--connection", database.ConnectionString);

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (first.ExitCode, second.ExitCode));
        Assert.Contains("ran 3 seeds for development, 6 rows inserted", first.OutLines[^1], StringComparison.Ordinal);
        Assert.Contains("all 10 migrations already applied; ran 3 seeds for development, 0 rows inserted", second.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "tenants"));
    }

    [Fact]
    public async Task Migrate_in_production_applies_the_migrations_and_writes_no_seed_row()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("migrate", "--environment", "production", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "tenants"));
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "users"));
    }

    [Fact]
    public async Task Migrate_with_seed_in_production_is_refused_before_anything_is_applied()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("migrate", "--seed", "--environment", "production", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.StartsWith("error: Refused to seed in production", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Migrate_reads_the_environment_from_REFERRALOS_ENVIRONMENT_when_no_option_is_given()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var variables = new Dictionary<string, string> { ["REFERRALOS_ENVIRONMENT"] = "production" };

        var run = await CliRun.RunAsync(null, variables, "migrate", "--seed", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
    }

    [Fact]
    public async Task Migrate_takes_a_postgres_url_from_REFERRALOS_DATABASE_URL()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var credentials = Uri.EscapeDataString(builder.Username!) + (builder.Password is { } password ? ":" + Uri.EscapeDataString(password) : string.Empty);
        var variables = new Dictionary<string, string> { ["REFERRALOS_DATABASE_URL"] = $"postgres://{credentials}@{builder.Host}:{builder.Port}/{builder.Database}" };

        var run = await CliRun.RunAsync(null, variables, "migrate");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains($"Database={builder.Database} (from REFERRALOS_DATABASE_URL)", run.OutLines[0], StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Migrate_exits_with_the_validation_code_and_both_checksums_when_an_applied_migration_was_edited()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = '002_create_tenants'");

        var run = await CliRun.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains("002_create_tenants", error, StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), error, StringComparison.Ordinal);
        Assert.Contains(ReferralOsSchema.Catalog.Find("002_create_tenants")!.Checksum, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_exits_with_the_execution_code_when_a_migration_fails_and_records_nothing_of_it()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        // A tenants table of another shape: 002's CREATE TABLE IF NOT EXISTS keeps it, and its index on slug then fails.
        await Sql.ExecuteAsync(database.DataSource, "CREATE TABLE tenants (id integer)");

        var run = await CliRun.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ExecutionFailed, run.ExitCode);
        Assert.Contains("002_create_tenants", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Migrate_exits_with_the_lock_timeout_code_while_another_run_holds_the_migration_lock()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await using var holder = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var run = await CliRun.RunAsync("migrate", "--lock-wait", "1s", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.LockTimeout, run.ExitCode);
        Assert.Contains("migration lock", Assert.Single(run.ErrorLines), StringComparison.Ordinal);

        // The hint names the option the CLI's user sets, not the runtime's property.
        Assert.Contains("give it longer with --lock-wait", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(MigrationOptions.LockWaitTimeout), run.Error, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "tenants"));
    }

    [Fact]
    public async Task Migrate_dry_run_prints_every_pending_migration_as_sql_and_creates_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("migrate", "--dry-run", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\"", run.Out, StringComparison.Ordinal);
        foreach (var migration in ReferralOsSchema.Migrations)
        {
            Assert.Contains($"INSERT INTO \"public\".\"schema_migrations\" (version, checksum) VALUES ('{migration.Version}', '{migration.Checksum}')", run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("Dry run: 10 migrations would be applied", run.Error, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Migrate_in_production_marks_the_database_so_that_seeding_it_is_refused_afterwards()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var migrate = await CliRun.RunAsync("migrate", "--environment", "production", "--connection", database.ConnectionString);
        var seed = await CliRun.RunAsync("seed", "--environment", "development", "--connection", database.ConnectionString);
        var status = await CliRun.RunAsync("status", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, migrate.ExitCode);
        Assert.Contains("Marked the database as production", migrate.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.EnvironmentRefused, seed.ExitCode);
        Assert.Contains("This database is marked production: seed, reset and rollback are refused against it.", status.OutLines);
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "tenants"));
    }
}
