using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>With NonSuperuser, a test logs in as a role that owns its database and everything in it, and nothing more.</summary>
public sealed class NonSuperuserTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task A_test_logs_in_as_a_role_that_is_no_superuser_and_owns_its_database()
    {
        await using var run = await StartRunAsync();
        await using var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken);

        var role = (await Postgres.ScalarAsync<string>(database.DataSource, "SELECT current_user::text"))!;
        Assert.StartsWith("referralos_test_", role, StringComparison.Ordinal);
        Assert.False(await Postgres.ScalarAsync<bool>(database.DataSource, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.False(await Postgres.ScalarAsync<bool>(database.DataSource, "SELECT rolcreatedb OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(role, await Postgres.ScalarAsync<string>(database.DataSource, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()"));
        Assert.Equal(0L, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user"));
        Assert.Contains(role, run.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seeded_tables_can_be_read_and_written_as_the_role()
    {
        await using var run = await StartRunAsync();
        await using var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken);

        await Postgres.ScalarAsync<object>(database.DataSource, "INSERT INTO tenants (slug, name) VALUES ('second-tenant', 'Second tenant')");
        await Postgres.ScalarAsync<object>(database.DataSource, "UPDATE users SET name = 'Renamed' WHERE id = $1", Seeds.TestReferrer.Id);

        Assert.Equal(2L, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM tenants"));
        Assert.Equal("Renamed", await Postgres.ScalarAsync<string>(database.DataSource, "SELECT name FROM users WHERE id = $1", Seeds.TestReferrer.Id));
        Assert.Equal(ReferralOsSchema.Migrations.Count, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_superuser_only_statement_fails_as_the_role()
    {
        await using var run = await StartRunAsync();
        await using var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);

        var alterSystem = await Assert.ThrowsAsync<PostgresException>(() => Postgres.ScalarAsync<object>(database.DataSource, "ALTER SYSTEM RESET work_mem"));
        var createDatabase = await Assert.ThrowsAsync<PostgresException>(() => Postgres.ScalarAsync<object>(database.DataSource, "CREATE DATABASE referralos_should_not_exist"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, alterSystem.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, createDatabase.SqlState);
    }

    [Fact]
    public async Task An_empty_database_s_public_schema_belongs_to_the_role()
    {
        await using var run = await StartRunAsync();
        await using var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);

        await Postgres.ScalarAsync<object>(database.DataSource, "CREATE TABLE mine (id int)");
        var migrated = await ReferralOsSchema.MigrateAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ReferralOsSchema.Migrations.Count, migrated.Applied.Count);
        Assert.Null(database.Template);
    }

    [Fact]
    public async Task Ending_the_run_drops_its_role_and_its_copies_of_the_templates()
    {
        var run = await StartRunAsync();
        var database = await run.CreateDatabaseAsync(ReferralOsSchema.Catalog, cancellationToken: TestContext.Current.CancellationToken);
        var role = await Postgres.ScalarAsync<string>(database.DataSource, "SELECT current_user::text");
        var runPrefix = database.Name[..(database.Name.LastIndexOf('_') + 1)];
        await database.DisposeAsync();

        await run.DisposeAsync();

        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        Assert.False(await Postgres.ScalarAsync<bool>(server, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role!));
        Assert.Equal(0L, await Postgres.ScalarAsync<long>(server, "SELECT count(*) FROM pg_database WHERE starts_with(datname, $1)", runPrefix));
    }

    private Task<TestPostgresServer> StartRunAsync() => TestPostgresServer.StartAsync(
        new TestPostgresServerOptions { Source = TestServerSource.ConnectionString, ConnectionString = postgres.Server.ConnectionString, NonSuperuser = true },
        TestContext.Current.CancellationToken);
}
