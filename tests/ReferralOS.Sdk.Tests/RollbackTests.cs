using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 5.7: rollback through the documented Down sections, and dry runs that print the SQL without running it.</summary>
public sealed class RollbackTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Rollback_reverts_newer_migrations_through_their_down_sections_and_removes_their_history_rows()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var migrator = new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource);
        var before = await ObjectsAsync(database.DataSource);

        var result = await migrator.RollbackAsync("007_create_api_keys", DatabaseEnvironment.Development, TestContext.Current.CancellationToken);

        Assert.Equal(["010_create_indexes", "009_create_audit_logs", "008_create_webhook_events"], result.RolledBack.Select(r => r.Version));
        Assert.Equal(ReferralOsSchema.Migrations.Take(7).Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        var after = await ObjectsAsync(database.DataSource);
        Assert.DoesNotContain("webhook_events", after);
        Assert.DoesNotContain("audit_logs", after);
        Assert.DoesNotContain("idx_users_tenant_email", after);
        Assert.Contains("api_keys", after);

        await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(before, await ObjectsAsync(database.DataSource));
    }

    [Fact]
    public async Task Rollback_to_the_initial_version_reverts_every_migration_and_migrate_rebuilds_the_same_schema()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var migrator = new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource);
        var before = await ObjectsAsync(database.DataSource);

        var result = await migrator.RollbackAsync(SchemaMigrator.InitialVersion, DatabaseEnvironment.Development, TestContext.Current.CancellationToken);

        Assert.Equal(ReferralOsSchema.Migrations.Reverse().Select(m => m.Version), result.RolledBack.Select(r => r.Version));
        Assert.Equal(["schema_migrations", "schema_migrations_pkey"], await ObjectsAsync(database.DataSource));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));

        await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(before, await ObjectsAsync(database.DataSource));
    }

    [Fact]
    public async Task Rollback_refuses_a_migration_without_a_down_section_before_changing_anything()
    {
        var catalog = TestCatalog.Of(
            TestCatalog.Migration(1, "CREATE TABLE kept (id int);", down: "DROP TABLE kept;", name: "kept"),
            TestCatalog.Migration(2, "CREATE TABLE forever (id int);", name: "forever"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.SchemaOnly);

        var refused = await Assert.ThrowsAsync<RollbackNotPossibleException>(
            () => new SchemaMigrator(catalog, database.DataSource).RollbackAsync(SchemaMigrator.InitialVersion, DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.Equal("002_forever", refused.Version);
        Assert.StartsWith("Cannot roll back 002_forever (execution/migrations/002_forever.sql): the file documents no Down section.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["forever", "kept", "schema_migrations"], await Sql.TablesAsync(database.DataSource));
        Assert.Equal(2, (await Sql.HistoryAsync(database.DataSource)).Count);
    }

    [Theory]
    [InlineData("099_never_written", "the code has no migration of that version")]
    [InlineData("003_pending", "it is not applied to this database")]
    public async Task Rollback_refuses_a_target_it_cannot_roll_back_to(string target, string reason)
    {
        var applied = TestCatalog.Of(
            TestCatalog.Migration(1, "CREATE TABLE one (id int);", down: "DROP TABLE one;", name: "one"),
            TestCatalog.Migration(2, "CREATE TABLE two (id int);", down: "DROP TABLE two;", name: "two"));
        var code = TestCatalog.Of([.. applied.Migrations, TestCatalog.Migration(3, "CREATE TABLE three (id int);", down: "DROP TABLE three;", name: "pending")]);
        await using var database = await postgres.CreateDatabaseAsync(applied, TestDatabaseOptions.SchemaOnly);

        var refused = await Assert.ThrowsAsync<RollbackNotPossibleException>(
            () => new SchemaMigrator(code, database.DataSource).RollbackAsync(target, DatabaseEnvironment.Development, TestContext.Current.CancellationToken));

        Assert.StartsWith($"Cannot roll back to {target}: {reason}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["one", "schema_migrations", "two"], await Sql.TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task Dry_run_of_migrate_returns_the_sql_it_would_send_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var plan = await new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource, new MigrationOptions { Environment = DatabaseEnvironment.Production })
            .PlanMigrationAsync(TestContext.Current.CancellationToken);

        Assert.Equal(MigrationDirection.Up, plan.Direction);
        Assert.Equal(ReferralOsSchema.Migrations.Select(m => m.Version), plan.Migrations.Select(m => m.Version));
        var tenants = plan.Migrations[1];
        Assert.Equal(["SET LOCAL lock_timeout = '5000ms'", "SET LOCAL statement_timeout = '300000ms'"], tenants.Commands.Take(2));
        Assert.Equal($"INSERT INTO \"public\".\"schema_migrations\" (version, checksum) VALUES ('002_create_tenants', '{ReferralOsSchema.Migrations[1].Checksum}')", tenants.Commands[^1]);
        var indexes = plan.Migrations[^1];
        Assert.Equal(MigrationTransactionMode.None, indexes.TransactionMode);
        Assert.Equal(["SET lock_timeout = '5000ms'", "SET statement_timeout = '900000ms'"], indexes.Commands.Take(2));
        var sql = plan.ToSql();
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\"", sql, StringComparison.Ordinal);
        Assert.Contains("COMMENT ON TABLE \"public\".\"schema_migrations\" IS 'referralos:environment=production';", sql, StringComparison.Ordinal);
        Assert.Contains("-- 002_create_tenants (execution/migrations/002_create_tenants.sql)\nBEGIN;\nSET LOCAL lock_timeout = '5000ms';", sql, StringComparison.Ordinal);
        Assert.Contains("-- 010_create_indexes (execution/migrations/010_create_indexes.sql), Transaction: none: each statement on its own\nSET lock_timeout = '5000ms';", sql, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_tenant_email ON users (tenant_id, lower(email));", sql, StringComparison.Ordinal);
        Assert.Empty(await Sql.TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task Dry_run_of_rollback_returns_the_down_sql_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var before = await ObjectsAsync(database.DataSource);

        var plan = await new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource).PlanRollbackAsync("008_create_webhook_events", TestContext.Current.CancellationToken);

        Assert.Equal(MigrationDirection.Down, plan.Direction);
        Assert.Equal(["010_create_indexes", "009_create_audit_logs"], plan.Migrations.Select(m => m.Version));
        var sql = plan.ToSql();
        Assert.Contains("DROP INDEX CONCURRENTLY IF EXISTS idx_audit_logs_entity;", sql, StringComparison.Ordinal);
        var user = new NpgsqlConnectionStringBuilder(database.ConnectionString).Username;
        Assert.Contains(
            "BEGIN;\nSET LOCAL lock_timeout = '5000ms';\nSET LOCAL statement_timeout = '60000ms';\nDROP TABLE IF EXISTS audit_logs;\n" +
            $"RESET ALL;\nSELECT pg_catalog.set_config('session_authorization', '{user}', false), pg_catalog.set_config('role', 'none', false);\n" +
            "DELETE FROM \"public\".\"schema_migrations\" WHERE version = '009_create_audit_logs';\nCOMMIT;",
            sql,
            StringComparison.Ordinal);
        Assert.Equal(before, await ObjectsAsync(database.DataSource));
        Assert.Equal(ReferralOsSchema.Migrations.Count, (await Sql.HistoryAsync(database.DataSource)).Count);
    }

    [Fact]
    public async Task Dry_run_of_an_up_to_date_database_says_there_is_nothing_to_do()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var plan = await new SchemaMigrator(ReferralOsSchema.Catalog, database.DataSource).PlanMigrationAsync(TestContext.Current.CancellationToken);

        Assert.True(plan.IsEmpty);
        Assert.Equal("-- Nothing to apply: the database is where the plan asked it to be.\n", plan.ToSql());
    }

    /// <summary>Tables, indexes, functions and triggers of the current schema: what migrations create and Down sections drop.</summary>
    private static Task<List<string>> ObjectsAsync(NpgsqlDataSource dataSource) =>
        Sql.ListAsync(
            dataSource,
            """
            SELECT relname::text FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'i')
            UNION ALL SELECT proname::text FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
            UNION ALL SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql'
            ORDER BY 1
            """,
            r => r.GetString(0));
}
