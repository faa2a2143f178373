using System.Diagnostics;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 5.5: failures, kills, cancellation and lost connections leave nothing half-applied or recorded.</summary>
public sealed class FaultTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Failing_statement_reports_the_migration_the_file_line_and_the_sqlstate_and_records_nothing()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(
            1,
            """
            CREATE TABLE first_table (id int);
            INSERT INTO first_table
              VALUES (1),
                     ('not a number');
            """,
            name: "bad_insert"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        // Header lines 1-2, the statement starts on line 4, PostgreSQL points at the literal on line 6.
        Assert.Equal(("001_bad_insert", "execution/migrations/001_bad_insert.sql", 6, "22P02"), (failed.Version, failed.Path, failed.Line, failed.SqlState));
        Assert.StartsWith("Migration 001_bad_insert failed at execution/migrations/001_bad_insert.sql:6: invalid input syntax for type integer: \"not a number\" (SQLSTATE 22P02).", failed.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back and nothing was recorded", failed.Message, StringComparison.Ordinal);
        Assert.Equal(["schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
    }

    [Fact(Timeout = 90_000)]
    public async Task Migrator_process_killed_mid_migration_leaves_no_history_row_and_no_partial_objects_and_the_next_run_completes()
    {
        const long gateKey = 7201;
        var catalog = TestCatalog.Gated(gateKey);
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var gate = await Gate.CloseAsync(database.DataSource, gateKey);
        using var migrator = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ReferralOS.Sdk.Tests.Migrator.dll"), database.ConnectionString, gateKey.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var backend = await gate.WaiterAsync(database.DataSource);

        migrator.Kill(entireProcessTree: true); // SIGKILL: no finally block, no rollback sent, no unlock
        await migrator.WaitForExitAsync(TestContext.Current.CancellationToken);

        // The server notices the dead client (client_connection_check_interval), aborts its transaction and ends the session.
        await Sql.EventuallyAsync(database.DataSource, $"SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = {backend})", r => r.GetInt32(0));
        Assert.Equal(["schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));

        await gate.OpenAsync();
        var next = await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_gated"], next.Applied.Select(a => a.Version));
        Assert.Equal(["after_gate", "before_gate", "schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancelled_migration_rolls_back_cleanly_releases_the_lock_and_records_nothing()
    {
        var catalog = TestCatalog.Gated(gate: 7202);
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var gate = await Gate.CloseAsync(database.DataSource, 7202);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: cancel.Token);
        await gate.WaiterAsync(database.DataSource);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(["schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
        await gate.OpenAsync();
        Assert.Equal(["001_gated"], (await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken)).Applied.Select(a => a.Version));
    }

    [Fact(Timeout = 60_000)]
    public async Task Connection_killed_mid_migration_surfaces_as_a_clear_error_and_records_nothing()
    {
        var catalog = TestCatalog.Gated(gate: 7203);
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var gate = await Gate.CloseAsync(database.DataSource, 7203);
        var run = SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);
        var backend = await gate.WaiterAsync(database.DataSource);

        Assert.True(await Sql.ScalarAsync<bool>(database.DataSource, $"SELECT pg_terminate_backend({backend})"));

        var lost = await Assert.ThrowsAsync<MigrationFailedException>(() => run);
        Assert.Equal(("001_gated", "57P01"), (lost.Version, lost.SqlState));
        Assert.StartsWith("Lost the connection to PostgreSQL while applying migration 001_gated (execution/migrations/001_gated.sql)", lost.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing half-done is recorded", lost.Message, StringComparison.Ordinal);
        Assert.Equal(["schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
        await gate.OpenAsync();
        Assert.Equal(["001_gated"], (await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken)).Applied.Select(a => a.Version));
    }
}
