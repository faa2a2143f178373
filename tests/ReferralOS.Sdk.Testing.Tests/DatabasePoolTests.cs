using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>
/// The pool of spare clones: a test never gets a database another had, more tests than spares neither wait forever
/// nor leak, and the run's end leaves nothing of the pool behind.
/// </summary>
public sealed class DatabasePoolTests(PostgresServerFixture postgres)
{
    // Generous: a deadlock shows as this running out, not as a hung run.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_test_that_changed_its_schema_leaves_the_next_test_a_pristine_database()
    {
        await using var run = await StartRunAsync(poolSize: 1);
        string changed;
        await using (var first = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken))
        {
            changed = first.Name;
            await Postgres.ScalarAsync<object>(first.DataSource, "DROP TABLE referrals CASCADE; CREATE TABLE leaked (id int); UPDATE users SET name = 'Changed'");
        }

        await using var next = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(changed, next.Name);
        Assert.True(await Postgres.ScalarAsync<bool>(next.DataSource, "SELECT to_regclass('leaked') IS NULL"));
        Assert.Equal("referrals", await Postgres.ScalarAsync<string>(next.DataSource, "SELECT to_regclass('referrals')::text"));
        Assert.Equal(Seeds.TestReferrer.Name, await Postgres.ScalarAsync<string>(next.DataSource, "SELECT name FROM users WHERE id = $1", Seeds.TestReferrer.Id));
    }

    [Fact]
    public async Task Many_more_tests_than_spares_each_get_a_database_of_their_own_and_the_run_leaves_none()
    {
        string prefix;
        string[] names;
        await using (var run = await StartRunAsync(poolSize: 2))
        {
            names = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => UseOneAsync(run)))).WaitAsync(Deadline, TestContext.Current.CancellationToken);
            prefix = Postgres.RunPrefixOf(names[0]);
        }

        Assert.Equal(24, names.Distinct().Count());
        Assert.Empty(await Postgres.DatabasesStartingWithAsync(postgres.Server.ConnectionString, prefix));
    }

    [Fact]
    public async Task Many_more_tests_than_spares_on_a_local_server_leave_no_cluster_or_folder()
    {
        string dataDirectory;
        await using (var run = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries, DatabasePoolSize = 2 }, TestContext.Current.CancellationToken))
        {
            await using var admin = NpgsqlDataSource.Create(run.ConnectionString);
            dataDirectory = (await Postgres.ScalarAsync<string>(admin, "SHOW data_directory"))!;
            await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => UseOneAsync(run)))).WaitAsync(Deadline, TestContext.Current.CancellationToken);
        }

        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public async Task Ending_a_run_drops_its_spares_and_the_databases_still_being_dropped()
    {
        string prefix;
        await using (var run = await StartRunAsync(poolSize: 4))
        {
            var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly, TestContext.Current.CancellationToken);
            prefix = Postgres.RunPrefixOf(database.Name);
            await database.DisposeAsync();
        }

        Assert.Empty(await Postgres.DatabasesStartingWithAsync(postgres.Server.ConnectionString, prefix));
    }

    [Fact]
    public async Task Without_spares_each_test_gets_a_clone_made_when_it_asks()
    {
        await using var run = await StartRunAsync(poolSize: 0);
        var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly, TestContext.Current.CancellationToken);
        var prefix = Postgres.RunPrefixOf(database.Name);

        Assert.Equal([database.Name], await Postgres.DatabasesStartingWithAsync(postgres.Server.ConnectionString, prefix));
        await database.DisposeAsync();
        Assert.True(await Postgres.DroppedSoonAsync(postgres.Server.ConnectionString, database.Name));
    }

    [Fact]
    public async Task A_negative_pool_size_is_refused()
    {
        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StartRunAsync(poolSize: -1));

        Assert.Contains(nameof(TestPostgresServerOptions.DatabasePoolSize), refused.Message, StringComparison.Ordinal);
    }

    /// <summary>One test: takes a seeded database, reads and writes it, ends; the database's name.</summary>
    private static async Task<string> UseOneAsync(TestPostgresServer run)
    {
        await using var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken);
        await Postgres.ScalarAsync<object>(database.DataSource, "UPDATE users SET name = 'Mine' WHERE id = $1", Seeds.TestReferrer.Id);
        Assert.Equal("Mine", await Postgres.ScalarAsync<string>(database.DataSource, "SELECT name FROM users WHERE id = $1", Seeds.TestReferrer.Id));
        return database.Name;
    }

    private Task<TestPostgresServer> StartRunAsync(int poolSize) =>
        TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.ConnectionString, ConnectionString = postgres.Server.ConnectionString, DatabasePoolSize = poolSize }, TestContext.Current.CancellationToken);
}
