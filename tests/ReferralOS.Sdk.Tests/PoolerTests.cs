using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 13.5: behind a real PgBouncer in transaction pooling, where a session advisory lock lands on whichever server
/// connection ran the statement, migrators refuse rather than corrupt: no migration runs twice, every failure is the
/// typed refusal, no lock is stranded and no session setting is left on a server connection. In session pooling they
/// all succeed, as on a direct connection.
/// </summary>
public sealed class PoolerTests(PostgresServerFixture postgres)
{
    private const int Instances = 16;

    [Fact(Timeout = 180_000)]
    public async Task Sixteen_migrators_behind_transaction_pooling_refuse_rather_than_run_a_migration_twice()
    {
        var catalog = TestCatalog.Counting();
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = await PgBouncer.StartAsync(database.ConnectionString, PoolMode.Transaction, poolSize: 4);

        var runs = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => MigratorProcess.RunAsync("counting", bouncer.ConnectionString)));

        foreach (var (exitCode, output) in runs)
        {
            Assert.True(exitCode is 0 or 9, $"exit {exitCode}: {output}");
            if (exitCode == 9)
            {
                Assert.StartsWith("refused TransactionPoolingException: ", output, StringComparison.Ordinal);
                Assert.Contains("pool_mode = transaction", output, StringComparison.Ordinal);
                Assert.Contains("Run migrations over a direct connection to PostgreSQL, or one through a session-pooling proxy", output, StringComparison.Ordinal);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{runs.Count(r => r.ExitCode == 0)} applied or found nothing to do, {runs.Count(r => r.ExitCode == 9)} refused.");

        // Whatever ran, ran once, and was recorded with what it did.
        var ran = await Sql.ScalarAsync<bool>(database.DataSource, "SELECT to_regclass('runs') IS NOT NULL")
            ? await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0))
            : [];
        Assert.Equal(ran.Distinct(), ran);
        Assert.Equal(ran, (await Sql.HistoryAsync(database.DataSource)).Select(h => h.Version[..3]));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database.DataSource, $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {unchecked((uint)MigrationOptions.DefaultAdvisoryLockKey)} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));

        // No server connection kept a migration's session settings.
        var settings = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            await using var pooled = Npgsql.NpgsqlDataSource.Create(bouncer.ConnectionString);
            return await Sql.ScalarAsync<string>(pooled, "SELECT current_setting('lock_timeout') || '/' || current_setting('statement_timeout') || '/' || current_setting('client_connection_check_interval') FROM pg_sleep(0.05)");
        }));
        Assert.All(settings, s => Assert.Equal("0/0/0", s));

        // A direct connection finishes the job, each migration once.
        await SchemaMigrator.MigrateAsync(catalog, database.DataSource, new MigrationOptions { LockWaitTimeout = TimeSpan.FromSeconds(10) }, TestContext.Current.CancellationToken);
        Assert.Equal(catalog.Migrations.Select(m => m.Version[..3]), await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0)));
    }

    [Fact(Timeout = 180_000)]
    public async Task Sixteen_migrators_behind_session_pooling_all_succeed_and_apply_each_migration_once()
    {
        var catalog = TestCatalog.Counting();
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = await PgBouncer.StartAsync(database.ConnectionString, PoolMode.Session, poolSize: 4);

        var runs = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => MigratorProcess.RunAsync("counting", bouncer.ConnectionString)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));
        Assert.Equal(catalog.Migrations.Count, runs.Sum(r => int.Parse(r.Output.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(catalog.Migrations.Select(m => m.Version[..3]), await Sql.ListAsync(database.DataSource, "SELECT version FROM runs ORDER BY version", r => r.GetString(0)));
        Assert.True(await Sql.MigrationLockIsFreeAsync(database.ConnectionString));
    }
}
