using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Local;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>
/// KeepFailedDatabases: a failed test's database outlives its test and its run, and the line for the test's output
/// says how to reach it. The adapters decide "failed" from their framework; these tests drive that step directly.
/// </summary>
public sealed class KeptDatabaseTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task A_failed_test_s_database_is_kept_past_the_run_and_named_with_a_working_connection_string()
    {
        string kept;
        await using (var run = await StartRunAsync(keep: true))
        {
            var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken);
            await Postgres.ScalarAsync<object>(database.DataSource, "UPDATE users SET name = 'Left for a look' WHERE id = $1", Seeds.TestReferrer.Id);

            kept = Assert.IsType<string>(await database.FinishAsync(testFailed: true, TestContext.Current.CancellationToken));
        }

        // A later run sweeps the databases of runs that are gone; a kept one is not among them.
        await (await StartRunAsync(keep: false)).DisposeAsync();

        var name = KeptName(kept);
        try
        {
            Assert.StartsWith("referralos_kept_", name, StringComparison.Ordinal);
            Assert.Contains(TestPostgresServer.KeepFailedDatabasesVariable, kept, StringComparison.Ordinal);
            await using var printed = NpgsqlDataSource.Create(ConnectionStringIn(kept));
            Assert.Equal("Left for a look", await Postgres.ScalarAsync<string>(printed, "SELECT name FROM users WHERE id = $1", Seeds.TestReferrer.Id));
            Assert.Equal(name, await Postgres.ScalarAsync<string>(printed, "SELECT current_database()::text"));
        }
        finally
        {
            await DropAsync(name);
        }
    }

    [Fact]
    public async Task A_passed_test_s_database_is_dropped_when_failed_ones_are_kept()
    {
        await using var run = await StartRunAsync(keep: true);
        var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);

        var kept = await database.FinishAsync(testFailed: false, TestContext.Current.CancellationToken);

        Assert.Null(kept);
        Assert.True(await Postgres.DroppedSoonAsync(postgres.Server.ConnectionString, database.Name));
    }

    [Fact]
    public async Task Without_the_option_a_failed_test_s_database_is_dropped()
    {
        await using var run = await StartRunAsync(keep: false);
        var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);

        var kept = await database.FinishAsync(testFailed: true, TestContext.Current.CancellationToken);

        Assert.Null(kept);
        Assert.True(await Postgres.DroppedSoonAsync(postgres.Server.ConnectionString, database.Name));
    }

    [Fact]
    public async Task A_kept_database_of_a_non_superuser_run_keeps_its_role_and_the_printed_login_works()
    {
        string kept;
        await using (var run = await TestPostgresServer.StartAsync(Options(keep: true) with { NonSuperuser = true }, TestContext.Current.CancellationToken))
        {
            var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly, TestContext.Current.CancellationToken);
            kept = Assert.IsType<string>(await database.FinishAsync(testFailed: true, TestContext.Current.CancellationToken));
        }

        var login = new NpgsqlConnectionStringBuilder(ConnectionStringIn(kept));
        try
        {
            await using var printed = NpgsqlDataSource.Create(login.ConnectionString);
            Assert.Equal(login.Username, await Postgres.ScalarAsync<string>(printed, "SELECT current_user::text"));
            Assert.Equal(0L, await Postgres.ScalarAsync<long>(printed, "SELECT count(*) FROM users"));
            Assert.Contains($"DROP ROLE \"{login.Username}\"", kept, StringComparison.Ordinal);
        }
        finally
        {
            await DropAsync(login.Database!, login.Username);
        }
    }

    [Fact]
    public async Task A_local_cluster_holding_a_kept_database_keeps_running_after_the_run()
    {
        string kept;
        string dataDirectory;
        await using (var run = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries, KeepFailedDatabases = true }, TestContext.Current.CancellationToken))
        {
            await using var admin = NpgsqlDataSource.Create(run.ConnectionString);
            dataDirectory = (await Postgres.ScalarAsync<string>(admin, "SHOW data_directory"))!;
            var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);
            kept = Assert.IsType<string>(await database.FinishAsync(testFailed: true, TestContext.Current.CancellationToken));
        }

        try
        {
            Assert.Contains(dataDirectory, kept, StringComparison.Ordinal);
            await using var printed = NpgsqlDataSource.Create(ConnectionStringIn(kept));
            Assert.Equal(KeptName(kept), await Postgres.ScalarAsync<string>(printed, "SELECT current_database()::text"));
        }
        finally
        {
            await LocalPostgresServer.DestroyAsync(dataDirectory, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public void The_option_defaults_to_its_environment_variable()
    {
        var before = Environment.GetEnvironmentVariable(TestPostgresServer.KeepFailedDatabasesVariable);
        try
        {
            Environment.SetEnvironmentVariable(TestPostgresServer.KeepFailedDatabasesVariable, "1");
            var on = new TestPostgresServerOptions();
            Environment.SetEnvironmentVariable(TestPostgresServer.KeepFailedDatabasesVariable, null);
            var off = new TestPostgresServerOptions();

            Assert.True(on.KeepFailedDatabases);
            Assert.False(off.KeepFailedDatabases);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TestPostgresServer.KeepFailedDatabasesVariable, before);
        }
    }

    /// <summary>The connection string the line prints: between "): " and the next ". ".</summary>
    private static string ConnectionStringIn(string kept)
    {
        var start = kept.IndexOf("): ", StringComparison.Ordinal) + 3;
        return kept[start..kept.IndexOf(". ", start, StringComparison.Ordinal)];
    }

    private static string KeptName(string kept) => new NpgsqlConnectionStringBuilder(ConnectionStringIn(kept)).Database!;

    private TestPostgresServerOptions Options(bool keep) =>
        new() { Source = TestServerSource.ConnectionString, ConnectionString = postgres.Server.ConnectionString, KeepFailedDatabases = keep };

    private Task<TestPostgresServer> StartRunAsync(bool keep) => TestPostgresServer.StartAsync(Options(keep), TestContext.Current.CancellationToken);

    private async Task DropAsync(string database, string? role = null)
    {
        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        await Postgres.ScalarAsync<object>(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        if (role is not null)
        {
            await Postgres.ScalarAsync<object>(server, $"DROP ROLE IF EXISTS \"{role}\"");
        }
    }
}
