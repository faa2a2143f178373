using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>Templates: named by the catalog, built once per server under a lock, reused across runs, rebuilt on change.</summary>
public sealed class TemplateTests(PostgresServerFixture postgres)
{
    private static readonly string[] BuildIdMigrations =
    [
        "CREATE TABLE build (id uuid NOT NULL)",
        "INSERT INTO build SELECT gen_random_uuid()",
    ];

    [Fact]
    public async Task A_seeded_database_holds_the_migrations_and_the_test_seeds()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);

        Assert.Equal(ReferralOsSchema.Migrations.Count, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(Seeds.TestReferrer.Name, await Postgres.ScalarAsync<string>(database.DataSource, "SELECT name FROM users WHERE id = $1", Seeds.TestReferrer.Id));
        Assert.EndsWith("_seeded", database.Template, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_only_database_holds_the_migrations_and_no_seed_rows()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        Assert.Equal(ReferralOsSchema.Migrations.Count, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(0L, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM users) + (SELECT count(*) FROM referral_codes) + (SELECT count(*) FROM referrals)"));
        Assert.EndsWith("_schema", database.Template, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_database_has_no_tables()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        Assert.Equal(0L, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
        Assert.Null(database.Template);
    }

    [Fact]
    public async Task Writes_in_one_test_database_are_not_seen_in_another()
    {
        await using var first = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        await using var second = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);

        await Postgres.ScalarAsync<object>(first.DataSource, "UPDATE users SET name = 'Renamed' WHERE id = $1", Seeds.TestReferred.Id);

        Assert.Equal("Renamed", await Postgres.ScalarAsync<string>(first.DataSource, "SELECT name FROM users WHERE id = $1", Seeds.TestReferred.Id));
        Assert.Equal(Seeds.TestReferred.Name, await Postgres.ScalarAsync<string>(second.DataSource, "SELECT name FROM users WHERE id = $1", Seeds.TestReferred.Id));
        Assert.Equal(first.Template, second.Template);
        Assert.NotEqual(first.Name, second.Name);
    }

    [Fact]
    public async Task Disposing_a_test_database_drops_it_even_with_connections_open()
    {
        var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        await using var stray = new NpgsqlConnection(database.ConnectionString);
        await stray.OpenAsync(TestContext.Current.CancellationToken);

        await database.DisposeAsync();

        Assert.True(await Postgres.DroppedSoonAsync(postgres.Server.ConnectionString, database.Name));
    }

    [Fact]
    public async Task A_template_is_reused_by_a_later_run_on_the_same_server()
    {
        var catalog = TestCatalogs.Create(BuildIdMigrations);
        var (firstTemplate, firstBuild) = await CloneInNewRunAsync(catalog);
        var templateOid = await Postgres.DatabaseOidAsync(postgres.Server.ConnectionString, firstTemplate);

        var (secondTemplate, secondBuild) = await CloneInNewRunAsync(catalog);

        Assert.Equal(firstTemplate, secondTemplate);
        Assert.Equal(templateOid, await Postgres.DatabaseOidAsync(postgres.Server.ConnectionString, secondTemplate));
        Assert.Equal(firstBuild, secondBuild);
    }

    [Fact]
    public async Task A_changed_migration_builds_a_new_template_and_keeps_the_old_one()
    {
        var catalog = TestCatalogs.Create(BuildIdMigrations);
        var edited = TestCatalogs.WithLastMigrationEdited(catalog, "INSERT INTO build SELECT gen_random_uuid() FROM generate_series(1, 2)");
        var (oldTemplate, _) = await CloneInNewRunAsync(catalog);

        await using var run = await StartRunAsync();
        await using var database = await run.CreateDatabaseAsync(edited, TestDatabaseOptions.SchemaOnly, TestContext.Current.CancellationToken);

        Assert.NotEqual(oldTemplate, database.Template);
        Assert.Equal(2L, await Postgres.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM build"));
        Assert.True(await Postgres.DatabaseExistsAsync(postgres.Server.ConnectionString, oldTemplate));
    }

    [Fact]
    public async Task Test_processes_racing_for_a_new_template_build_it_once()
    {
        var catalog = TestCatalogs.Create(BuildIdMigrations);

        // Four runs with their own connections and in-process caches: to the server, four test processes.
        var clones = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => CloneInNewRunAsync(catalog))));

        Assert.Single(clones.Select(c => c.Template).Distinct());
        Assert.Single(clones.Select(c => c.BuildId).Distinct());
    }

    [Fact]
    public async Task A_template_left_half_built_by_a_killed_run_is_rebuilt()
    {
        var catalog = TestCatalogs.Create(BuildIdMigrations);
        var template = TemplateDatabases.NameOf(catalog, seeded: false);
        await using (var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString))
        {
            await Postgres.ScalarAsync<object>(server, $"CREATE DATABASE \"{template}\"");
        }

        var (built, buildId) = await CloneInNewRunAsync(catalog);

        Assert.Equal(template, built);
        Assert.NotEqual(Guid.Empty, buildId);
    }

    [Fact]
    public async Task A_failing_migration_names_the_template_and_the_migration()
    {
        var catalog = TestCatalogs.Create(["CREATE TABLE ok (id int)", "CREATE TABLE broken (id no_such_type)"]);

        var failure = await Assert.ThrowsAsync<TestPostgresException>(() => postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.SchemaOnly));

        Assert.Contains(TemplateDatabases.NameOf(catalog, seeded: false), failure.Message, StringComparison.Ordinal);
        Assert.Contains("002_test_step", failure.Message, StringComparison.Ordinal);
        Assert.IsType<MigrationFailedException>(failure.InnerException);
    }

    private Task<TestPostgresServer> StartRunAsync() =>
        TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.ConnectionString, ConnectionString = postgres.Server.ConnectionString }, TestContext.Current.CancellationToken);

    /// <summary>A run of its own against the fixture's server: starts, clones one schema-only database, reads it, ends.</summary>
    private async Task<(string Template, Guid BuildId)> CloneInNewRunAsync(MigrationCatalog catalog)
    {
        await using var run = await StartRunAsync();
        await using var database = await run.CreateDatabaseAsync(catalog, TestDatabaseOptions.SchemaOnly, TestContext.Current.CancellationToken);
        return (database.Template!, await Postgres.ScalarAsync<Guid>(database.DataSource, "SELECT id FROM build"));
    }
}
