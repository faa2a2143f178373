using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 16.1: behind a real PgBouncer, where a session advisory lock would land on whichever server connection ran the
/// statement, migrators recognise the pooler from the server's process key and take the lease instead: in transaction
/// pooling and in session pooling, all of them succeed, each migration runs once, no lock or lease is left and no
/// session setting stays on a server connection. A direct connection keeps the session advisory lock.
/// </summary>
public sealed class PoolerTests(PostgresServerFixture postgres)
{
    private const int Instances = 16;

    [Fact(Timeout = 180_000)]
    public async Task Sixteen_migrators_behind_transaction_pooling_all_succeed_and_apply_each_migration_once()
    {
        var catalog = TestCatalog.Counting();
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = await PgBouncer.StartAsync(database.ConnectionString, PoolMode.Transaction, poolSize: 4);

        var runs = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => MigratorProcess.RunAsync("counting", bouncer.ConnectionString)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));
        Assert.Equal(catalog.Migrations.Count, runs.Sum(r => int.Parse(r.Output.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));

        // Each migration ran once, and was recorded once, under the lease (no session lock was taken through the pooler).
        Assert.Equal(catalog.Migrations.Select(m => m.Version[..3]), await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0)));
        Assert.Equal(catalog.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database.DataSource, $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {unchecked((uint)MigrationOptions.DefaultAdvisoryLockKey)} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        Assert.True(await Sql.LeaseIsFreeAsync(database.DataSource));
        Assert.True(await Sql.ScalarAsync<long>(database.DataSource, "SELECT token FROM schema_migrations_lock") >= 1);

        // No server connection kept a migration's session settings.
        var settings = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            await using var pooled = Npgsql.NpgsqlDataSource.Create(bouncer.ConnectionString);
            return await Sql.ScalarAsync<string>(pooled, "SELECT current_setting('lock_timeout') || '/' || current_setting('statement_timeout') || '/' || current_setting('client_connection_check_interval') FROM pg_sleep(0.05)");
        }));
        Assert.All(settings, s => Assert.Equal("0/0/0", s));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_direct_connection_takes_the_session_advisory_lock_and_creates_no_lease()
    {
        var catalog = TestCatalog.Counting(count: 2);
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["runs", "schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_live_lease_keeps_a_direct_connection_out_and_a_direct_session_lock_keeps_the_lease_out()
    {
        var catalog = TestCatalog.Counting(count: 2);
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        var lease = new MigrationOptions { AlwaysUseLease = true, LockWaitTimeout = TimeSpan.FromMilliseconds(300) };
        var direct = new MigrationOptions { LockWaitTimeout = TimeSpan.FromMilliseconds(300) };
        await SchemaMigrator.MigrateAsync(TestCatalog.Of(), database.DataSource, lease, TestContext.Current.CancellationToken); // creates the lease table

        // A lease someone holds (as a migrator behind a pooler would) keeps a direct migrator waiting.
        await Sql.ExecuteAsync(database.DataSource, "UPDATE schema_migrations_lock SET token = token + 1, owner = 'elsewhere pid 1', expires_at = clock_timestamp() + interval '1 hour'");
        var waitedForLease = await Assert.ThrowsAsync<MigrationLockTimeoutException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, direct, TestContext.Current.CancellationToken));
        Assert.Contains("held the migration lease in schema_migrations_lock (an instance migrating through a pooler)", waitedForLease.Message, StringComparison.Ordinal);
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
        await Sql.ExecuteAsync(database.DataSource, "UPDATE schema_migrations_lock SET owner = NULL, expires_at = clock_timestamp()");

        // A direct session lock keeps the lease from being granted.
        await using (var holder = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await Sql.ExecuteAsync(holder, $"SELECT pg_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey})");
            var waitedForLock = await Assert.ThrowsAsync<MigrationLockTimeoutException>(() => SchemaMigrator.MigrateAsync(catalog, database.DataSource, lease, TestContext.Current.CancellationToken));
            Assert.Contains("schema_migrations_lock", waitedForLock.Message, StringComparison.Ordinal);
            await Sql.ExecuteAsync(holder, $"SELECT pg_advisory_unlock({MigrationOptions.DefaultAdvisoryLockKey})");
        }

        await SchemaMigrator.MigrateAsync(catalog, database.DataSource, lease, TestContext.Current.CancellationToken);
        Assert.Equal(["001", "002"], await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0)));
        Assert.True(await Sql.LeaseIsFreeAsync(database.DataSource));
    }

    [Fact(Timeout = 180_000)]
    public async Task Sixteen_migrators_behind_session_pooling_all_succeed_and_apply_each_migration_once()
    {
        var catalog = TestCatalog.Counting();
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = await PgBouncer.StartAsync(database.ConnectionString, PoolMode.Session, poolSize: 4);

        // Twelve of them queue at the pooler for a server connection, on a loaded machine for longer than Npgsql's 15 s.
        var queueing = new Npgsql.NpgsqlConnectionStringBuilder(bouncer.ConnectionString) { Timeout = 120 }.ConnectionString;
        var runs = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => MigratorProcess.RunAsync("counting", queueing)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));
        Assert.Equal(catalog.Migrations.Count, runs.Sum(r => int.Parse(r.Output.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(catalog.Migrations.Select(m => m.Version[..3]), await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0)));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
        Assert.True(await Sql.LeaseIsFreeAsync(database.DataSource));
    }
}
