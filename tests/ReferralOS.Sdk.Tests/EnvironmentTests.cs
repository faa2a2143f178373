using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 5.6: seeds only for development and test; reset and rollback only for development; and a database that
/// was migrated as production stays refused for all three, whatever a later caller says.
/// </summary>
public sealed class EnvironmentTests(PostgresServerFixture postgres)
{
    private static readonly MigrationOptions Production = new() { Environment = DatabaseEnvironment.Production };

    [Fact]
    public async Task Migrate_in_production_marks_a_fresh_database_as_production()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        await ReferralOsSchema.MigrateAsync(database.DataSource, Production, TestContext.Current.CancellationToken);

        Assert.True((await ReferralOsSchema.StatusAsync(database.DataSource, TestContext.Current.CancellationToken)).IsProduction);
        Assert.Equal("referralos:environment=production", await Sql.ScalarAsync<string>(database.DataSource, "SELECT obj_description('schema_migrations'::regclass, 'pg_class')"));
    }

    [Fact]
    public async Task Migrate_in_production_marks_an_up_to_date_database_and_later_runs_without_the_flag_keep_the_mark()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        Assert.False((await ReferralOsSchema.StatusAsync(database.DataSource, TestContext.Current.CancellationToken)).IsProduction);

        await ReferralOsSchema.MigrateAsync(database.DataSource, Production, TestContext.Current.CancellationToken);
        await ReferralOsSchema.MigrateAsync(database.DataSource, new MigrationOptions { Environment = DatabaseEnvironment.Development }, TestContext.Current.CancellationToken);

        Assert.True((await ReferralOsSchema.StatusAsync(database.DataSource, TestContext.Current.CancellationToken)).IsProduction);
    }

    [Fact]
    public async Task Seeding_a_database_marked_production_is_refused_even_when_the_caller_says_development()
    {
        await using var database = await MarkedProductionAsync();

        var refused = await Assert.ThrowsAsync<EnvironmentRefusedException>(
            () => ReferralOsSchema.SeedAsync(database.DataSource, DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.Equal(("seed", DatabaseEnvironment.Production), (refused.Operation, refused.Environment));
        Assert.StartsWith("Refused to seed in production: the database is marked production", refused.Message, StringComparison.Ordinal);
        Assert.Contains("COMMENT ON TABLE \"public\".\"schema_migrations\" IS NULL", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database.DataSource, "SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM users)"));
    }

    [Fact]
    public async Task Reset_of_a_database_marked_production_is_refused_even_when_the_caller_says_development()
    {
        await using var database = await MarkedProductionAsync();
        var tables = await Sql.TablesAsync(database.DataSource);

        var refused = await Assert.ThrowsAsync<EnvironmentRefusedException>(
            () => new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource).ResetAsync(DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.StartsWith("Refused to reset in production: the database is marked production", refused.Message, StringComparison.Ordinal);
        Assert.Equal(tables, await Sql.TablesAsync(database.DataSource));
        Assert.Equal(ReferralOsSchema.Migrations.Count, (await Sql.HistoryAsync(database.DataSource)).Count);
    }

    [Fact]
    public async Task Rollback_of_a_database_marked_production_is_refused_even_when_the_caller_says_development()
    {
        await using var database = await MarkedProductionAsync();

        var refused = await Assert.ThrowsAsync<EnvironmentRefusedException>(
            () => new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource).RollbackAsync("007_create_api_keys", DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.StartsWith("Refused to roll back in production: the database is marked production", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ReferralOsSchema.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
    }

    [Fact]
    public async Task Seeds_run_for_test_databases()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var seeded = await ReferralOsSchema.SeedAsync(database.DataSource, DatabaseEnvironment.Test, TestContext.Current.CancellationToken);

        Assert.Equal(["001_default_tenant", "002_test_users", "003_sample_referrals"], seeded.Seeds.Select(s => s.Version));
        Assert.Equal(Seeds.DefaultTenant.Id, await Sql.ScalarAsync<Guid>(database.DataSource, "SELECT id FROM tenants"));
    }

    [Fact]
    public async Task Reset_empties_a_development_database_for_migrate_and_seed_to_rebuild()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        var migrator = new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource);

        await migrator.ResetAsync(DatabaseEnvironment.Development, TestContext.Current.CancellationToken);

        Assert.Empty(await Sql.TablesAsync(database.DataSource));
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        await migrator.SeedAsync(DatabaseEnvironment.Development, TestContext.Current.CancellationToken);
        Assert.Equal(Seeds.TestReferrer.Id, await Sql.ScalarAsync<Guid>(database.DataSource, "SELECT id FROM users WHERE email = 'referrer@example.com'"));
    }

    [Theory]
    [InlineData(DatabaseEnvironment.Test)]
    [InlineData(DatabaseEnvironment.Production)]
    public async Task Reset_and_rollback_are_refused_outside_development(DatabaseEnvironment environment)
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        var migrator = new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource);

        var reset = await Assert.ThrowsAsync<EnvironmentRefusedException>(() => migrator.ResetAsync(environment, TestContext.Current.CancellationToken));
        var rollback = await Assert.ThrowsAsync<EnvironmentRefusedException>(() => migrator.RollbackAsync(SchemaMigrator.InitialVersion, environment, TestContext.Current.CancellationToken));

        Assert.StartsWith($"Refused to reset in {environment.ToName()}: reset drops every table and its data, so it only runs against development databases.", reset.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Refused to roll back in {environment.ToName()}: rollback runs Down sections", rollback.Message, StringComparison.Ordinal);
        Assert.Equal(ReferralOsSchema.Migrations.Count, (await Sql.HistoryAsync(database.DataSource)).Count);
        Assert.Equal(Seeds.TestReferrer.Id, await Sql.ScalarAsync<Guid>(database.DataSource, "SELECT id FROM users WHERE email = 'referrer@example.com'"));
    }

    private async Task<TestDatabase> MarkedProductionAsync()
    {
        var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await ReferralOsSchema.MigrateAsync(database.DataSource, Production, TestContext.Current.CancellationToken);
        return database;
    }
}
