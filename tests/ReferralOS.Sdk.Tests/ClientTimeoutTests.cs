using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 13.1: when the client does give up waiting, it says so in its own words, not as a lost connection.</summary>
public sealed class ClientTimeoutTests(PostgresServerFixture postgres)
{
    [Fact(Timeout = 120_000)]
    public async Task A_server_that_stops_answering_is_reported_as_the_client_giving_up_and_records_nothing()
    {
        // A 1-second statement timeout: the client waits that plus its grace, then gives up on a connection frozen by
        // SIGSTOP of the PgBouncer in between (freezing a backend itself would stall the whole cluster's DROP DATABASE).
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE frozen (id int);\nSELECT pg_sleep(0.5);", statementTimeout: TimeSpan.FromSeconds(1), name: "frozen"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = await PgBouncer.StartAsync(database.ConnectionString, PoolMode.Session);
        await using var throughBouncer = Npgsql.NpgsqlDataSource.Create(bouncer.ConnectionString);
        var run = SchemaMigrator.MigrateAsync(catalog, throughBouncer, cancellationToken: TestContext.Current.CancellationToken);
        await Sql.EventuallyAsync(database.DataSource, "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(0.5)%' AND pid <> pg_backend_pid()", r => r.GetInt32(0));
        await bouncer.SignalAsync("STOP");
        MigrationFailedException gaveUp;
        try
        {
            gaveUp = await Assert.ThrowsAsync<MigrationFailedException>(() => run);
        }
        finally
        {
            await bouncer.SignalAsync("CONT");
        }

        Assert.StartsWith("Gave up waiting for PostgreSQL while applying migration 001_frozen", gaveUp.Message, StringComparison.Ordinal);
        Assert.Contains("the statement_timeout of 1000ms (the file's -- Statement-Timeout:) for each of 2 statement(s) plus 30s", gaveUp.Message, StringComparison.Ordinal);
        Assert.Contains("the server or the network stalled", gaveUp.Message, StringComparison.Ordinal);
        await Sql.EventuallyAsync(database.DataSource, "SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE '%pg_sleep(0.5)%' AND state <> 'idle' AND pid <> pg_backend_pid())", r => r.GetInt32(0));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
        Assert.DoesNotContain("frozen", await Sql.TablesAsync(database.DataSource));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_connect_timeout_while_a_pooler_queues_the_client_says_so_not_that_the_host_is_unreachable()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "SELECT 1;", name: "noop"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        await using var bouncer = await PgBouncer.StartAsync(database.ConnectionString, PoolMode.Session, poolSize: 1);
        await using var occupant = Npgsql.NpgsqlDataSource.Create(bouncer.ConnectionString);
        await using var held = await occupant.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var queued = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(bouncer.ConnectionString) { Timeout = 2, Pooling = false }.ConnectionString);

        var refused = await Assert.ThrowsAsync<DatabaseConnectionException>(() => SchemaMigrator.MigrateAsync(catalog, queued, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("Timed out after 2s connecting to PostgreSQL at 127.0.0.1:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("something there accepts connections but did not finish the startup in time", refused.Message, StringComparison.Ordinal);
        Assert.Contains("a connection pooler (such as PgBouncer) queueing clients while its pool is full", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Check that the host is reachable", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
    }
}
