using System.Diagnostics;
using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// Issue 13 through the command line: no hidden client timeout, no throwaway database for an empty connection, an
/// interrupted concurrent index build that is never reported as rolled back nor recorded, and status and verify that
/// refuse what migrate refuses.
/// </summary>
public sealed class ReliabilityTests(PostgresServerFixture postgres) : IDisposable
{
    private readonly string _folder = TestFolders.Create("referralos-reliability");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_empty_connection_option_is_a_usage_error_and_starts_no_database()
    {
        var run = await CliRun.RunAsync(_folder, new Dictionary<string, string>(), "migrate", "--connection", "", "--environment", "production");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--connection is empty, so there is no database to use", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".referralos")));
    }

    [Fact]
    public async Task An_empty_database_url_variable_is_a_usage_error_and_starts_no_database()
    {
        var run = await CliRun.RunAsync(_folder, new Dictionary<string, string> { [CliContext.DatabaseUrlVariable] = "" }, "migrate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"{CliContext.DatabaseUrlVariable} is set but empty", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".referralos")));
    }

    [Fact]
    public async Task Production_never_falls_back_to_the_embedded_database()
    {
        var run = await CliRun.RunAsync(_folder, new Dictionary<string, string>(), "migrate", "--environment", "production");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--environment production needs the production database", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".referralos")));
    }

    [Fact]
    public async Task Status_and_verify_refuse_a_history_gap_with_migrates_explanation()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DELETE FROM schema_migrations WHERE version = '005_create_referrals'");

        var migrate = await CliRun.RunAsync("migrate", "-c", database.ConnectionString);
        var status = await CliRun.RunAsync("status", "-c", database.ConnectionString);
        var verify = await CliRun.RunAsync(_folder, new Dictionary<string, string>(), "verify", "--execution", Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../execution")), "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, migrate.ExitCode);
        Assert.Contains("The applied history has a gap: migration 005_create_referrals", migrate.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ValidationFailed, status.ExitCode);
        Assert.Contains("migrate would refuse this history: The applied history has a gap: migration 005_create_referrals", status.Error + status.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ValidationFailed, verify.ExitCode);
        Assert.Contains("migrate would refuse this history: The applied history has a gap: migration 005_create_referrals", verify.Error + verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_pending_migration_reads_in_the_singular()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DROP TABLE audit_logs CASCADE; DELETE FROM schema_migrations WHERE version >= '009'");
        await Sql.ExecuteAsync(database.DataSource, "DROP INDEX IF EXISTS idx_users_tenant_email, idx_referral_codes_tenant_user, idx_referrals_tenant_referrer_status, idx_referrals_tenant_code, idx_rewards_ledger_tenant_user_created, idx_rewards_ledger_tenant_referral, idx_api_keys_tenant_active, idx_webhook_events_due");

        var run = await CliRun.RunAsync("migrate", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Applying 2 pending migrations, starting with 009_create_audit_logs", run.Out + run.Error, StringComparison.Ordinal);
        await Sql.ExecuteAsync(database.DataSource, "DELETE FROM schema_migrations WHERE version = '010_create_indexes'");
        var one = await CliRun.RunAsync("migrate", "-c", database.ConnectionString);
        Assert.Contains("Applying 1 pending migration, starting with 010_create_indexes", one.Out + one.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_forty_second_statement_under_a_ten_minute_statement_timeout_succeeds_through_the_cli()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "db", "migrations"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "db", "migrations", "001_slow_backfill.sql"), """
            -- Migration: 001_slow_backfill
            -- Description: A backfill that takes forty seconds
            -- Created: 2026-01-01T00:00:00Z
            -- Statement-Timeout: 10min

            -- Up Migration
            CREATE TABLE IF NOT EXISTS backfilled AS SELECT 1 AS id FROM pg_sleep(40);

            -- Down Migration (commented, for reference)
            -- DROP TABLE IF EXISTS backfilled;

            """, TestContext.Current.CancellationToken);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync(_folder, new Dictionary<string, string>(), "migrate", "--execution", "db", "-c", database.ConnectionString);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.True(await Sql.TableExistsAsync(database.DataSource, "backfilled"));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_during_a_concurrent_index_build_says_not_recorded_and_the_next_run_names_the_drop(string signal)
    {
        // Everything applied but 010_create_indexes, whose concurrent builds wait for a session's old snapshot.
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DELETE FROM schema_migrations WHERE version = '010_create_indexes'");
        await Sql.ExecuteAsync(database.DataSource, "DROP INDEX IF EXISTS idx_users_tenant_email");
        await using var snapshot = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using (var hold = new NpgsqlCommand("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM pg_class;", snapshot))
        {
            await hold.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var cli = Process.Start(CliRun.ProcessStart("migrate", "-c", database.ConnectionString))!;
        var output = cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = cli.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await Sql.WaitForAsync(database.DataSource, "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'");
        using (var kill = Process.Start("kill", [$"-{signal}", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await cli.WaitForExitAsync(TestContext.Current.CancellationToken);
        await using (var end = new NpgsqlCommand("ROLLBACK", snapshot))
        {
            await end.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var said = await output + await error;
        Assert.Equal(ExitCodes.Cancelled, cli.ExitCode);
        Assert.Contains("Cancelled while applying migration 010_create_indexes", said, StringComparison.Ordinal);
        Assert.DoesNotContain("rolled back", said, StringComparison.Ordinal);
        Assert.Contains("it is not recorded", said, StringComparison.Ordinal);

        var again = await CliRun.RunAsync("migrate", "-c", database.ConnectionString);
        var status = await CliRun.RunAsync("status", "-c", database.ConnectionString);
        Assert.Equal(ExitCodes.ValidationFailed, again.ExitCode);
        Assert.Contains("DROP INDEX CONCURRENTLY IF EXISTS idx_users_tenant_email;", again.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ValidationFailed, status.ExitCode);
        Assert.Contains("1 index is INVALID: idx_users_tenant_email", status.Error + status.Out, StringComparison.Ordinal);
        var verify = await CliRun.RunAsync(_folder, new Dictionary<string, string>(), "verify", "--execution", Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../execution")), "-c", database.ConnectionString);
        Assert.Equal(ExitCodes.ValidationFailed, verify.ExitCode);
        Assert.Contains("1 index is INVALID: idx_users_tenant_email", verify.Error + verify.Out, StringComparison.Ordinal);

        var rebuilt = await CliRun.RunAsync("migrate", "--rebuild-invalid-indexes", "-c", database.ConnectionString);
        Assert.Equal(ExitCodes.Ok, rebuilt.ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("status", "-c", database.ConnectionString)).ExitCode);
    }
}
