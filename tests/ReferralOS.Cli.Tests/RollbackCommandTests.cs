using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db rollback</c> against a real PostgreSQL database of each test's own.</summary>
public sealed class RollbackCommandTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Rollback_with_force_reverts_the_migrations_above_the_target_newest_first()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("rollback", "--to", "007_create_api_keys", "--force", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(
            ["010_create_indexes", "009_create_audit_logs", "008_create_webhook_events"],
            run.OutLines.Where(line => line.StartsWith("Rolled back migration ", StringComparison.Ordinal)).Select(line => line.Split(' ')[3]));
        Assert.Equal("reverted 3 migrations; 007_create_api_keys is the last applied migration now.", run.OutLines[^1].Split(": ", 2)[1]);
        Assert.Equal(7, await Sql.CountAsync(database.DataSource, "schema_migrations"));
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "audit_logs"));
    }

    [Fact]
    public async Task Rollback_dry_run_prints_the_down_script_on_standard_output_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("rollback", "--to", "008_create_webhook_events", "--dry-run", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("DROP TABLE IF EXISTS audit_logs", run.Out, StringComparison.Ordinal);
        Assert.Contains("DELETE FROM \"public\".\"schema_migrations\" WHERE version = '009_create_audit_logs'", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Database:", run.Out, StringComparison.Ordinal);
        Assert.Contains("Dry run: 2 migrations would be rolled back", run.Error, StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Rollback_of_a_database_given_by_connection_needs_force_and_touches_nothing_without_it()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("rollback", "--to", "0", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.Contains("--force", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Rollback_to_a_version_the_code_does_not_know_exits_with_the_validation_code()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("rollback", "--to", "042_no_such_migration", "--force", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("042_no_such_migration", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task Rollback_of_a_database_marked_production_is_refused_even_in_development()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await CliRun.RunAsync("migrate", "--environment", "production", "--connection", database.ConnectionString);

        var run = await CliRun.RunAsync("rollback", "--to", "0", "--force", "--environment", "development", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.Contains("production", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }
}
