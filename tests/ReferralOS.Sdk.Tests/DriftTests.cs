using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Scratch;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 16.4: drift compares the live database with the schema its applied migrations build in a scratch database,
/// object by object as PostgreSQL deparses each one; every kind of object changed by hand is reported by name, an
/// untouched database reports nothing, and the scratch database is gone afterwards.
/// </summary>
public sealed class DriftTests(PostgresServerFixture postgres)
{
    /// <summary>One of every kind of object drift compares, the INVALID-able index built the way 010_create_indexes builds its own.</summary>
    private static readonly MigrationCatalog Everything = TestCatalog.Of(
        TestCatalog.Migration(
            1,
            """
            CREATE EXTENSION IF NOT EXISTS pgcrypto;
            CREATE SCHEMA reporting;
            CREATE TABLE items (
              id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
              code text NOT NULL,
              name varchar(100) NOT NULL,
              qty integer NOT NULL DEFAULT 1 CONSTRAINT items_qty_positive CHECK (qty > 0),
              touched_at timestamptz
            );
            CREATE INDEX idx_items_name ON items (name);
            ALTER TABLE items ENABLE ROW LEVEL SECURITY;
            CREATE POLICY items_visible ON items FOR SELECT USING (qty > 0);
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched_at := now(); RETURN NEW; END $$;
            CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE VIEW reporting.item_names AS SELECT name FROM items;
            GRANT SELECT ON items TO PUBLIC;
            COMMENT ON TABLE items IS 'Things, counted';
            COMMENT ON COLUMN items.code IS 'Unique per item';
            """,
            name: "everything"),
        TestCatalog.Migration(
            2,
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_items_code ON items (code);",
            name: "index_items",
            transactionMode: MigrationTransactionMode.None,
            concurrentIndexes: [new ConcurrentIndex("\"idx_items_code\"", "items")]));

    [Fact(Timeout = 120_000)]
    public async Task Untouched_migrated_database_reports_no_drift_and_leaves_no_scratch_database()
    {
        await using var database = await postgres.CreateDatabaseAsync(Everything, TestDatabaseOptions.SchemaOnly);

        var report = await SchemaMigrator.DetectDriftAsync(Everything, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Differences);
        Assert.False(report.HasDrift);
        Assert.Equal(["001_everything", "002_index_items"], report.Compared);
        Assert.Empty(await ScratchDatabasesAsync());
    }

    [Fact(Timeout = 120_000)]
    public async Task Untouched_referralos_database_reports_no_drift()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var report = await ReferralOsSchema.DetectDriftAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Differences);
        Assert.Equal(ReferralOsSchema.Migrations.Select(m => m.Version), report.Compared);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("DROP EXTENSION pgcrypto CASCADE; ALTER TABLE items ALTER COLUMN id DROP DEFAULT", SchemaObjectKind.Extension, "pgcrypto", DifferenceType.Missing)]
    [InlineData("CREATE SCHEMA rogue", SchemaObjectKind.Schema, "rogue", DifferenceType.Unexpected)]
    [InlineData("CREATE TABLE scratch_notes (body text)", SchemaObjectKind.Table, "public.scratch_notes", DifferenceType.Unexpected)]
    [InlineData("ALTER TABLE items DISABLE ROW LEVEL SECURITY", SchemaObjectKind.Table, "public.items", DifferenceType.Changed)]
    [InlineData("CREATE OR REPLACE VIEW reporting.item_names AS SELECT name, code FROM items", SchemaObjectKind.View, "reporting.item_names", DifferenceType.Changed)]
    [InlineData("DROP VIEW reporting.item_names; ALTER TABLE items ALTER COLUMN name TYPE text", SchemaObjectKind.Column, "public.items.name", DifferenceType.Changed)]
    [InlineData("ALTER TABLE items ALTER COLUMN touched_at SET NOT NULL", SchemaObjectKind.Column, "public.items.touched_at", DifferenceType.Changed)]
    [InlineData("ALTER TABLE items ALTER COLUMN qty SET DEFAULT 2", SchemaObjectKind.Column, "public.items.qty", DifferenceType.Changed)]
    [InlineData("ALTER TABLE items ADD COLUMN note text", SchemaObjectKind.Column, "public.items.note", DifferenceType.Unexpected)]
    [InlineData("ALTER TABLE items DROP CONSTRAINT items_qty_positive", SchemaObjectKind.Constraint, "items_qty_positive on public.items", DifferenceType.Missing)]
    [InlineData("ALTER TABLE items DROP CONSTRAINT items_qty_positive, ADD CONSTRAINT items_qty_positive CHECK (qty >= 0)", SchemaObjectKind.Constraint, "items_qty_positive on public.items", DifferenceType.Changed)]
    [InlineData("DROP INDEX idx_items_name", SchemaObjectKind.Index, "public.idx_items_name", DifferenceType.Missing)]
    [InlineData("DROP INDEX idx_items_name; CREATE INDEX idx_items_name ON items (name, qty)", SchemaObjectKind.Index, "public.idx_items_name", DifferenceType.Changed)]
    [InlineData("CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", SchemaObjectKind.Function, "public.touch()", DifferenceType.Changed)]
    [InlineData("CREATE FUNCTION helper() RETURNS int LANGUAGE sql AS 'SELECT 1'", SchemaObjectKind.Function, "public.helper()", DifferenceType.Unexpected)]
    [InlineData("DROP TRIGGER items_touch ON items", SchemaObjectKind.Trigger, "items_touch on public.items", DifferenceType.Missing)]
    [InlineData("ALTER TABLE items DISABLE TRIGGER items_touch", SchemaObjectKind.Trigger, "items_touch on public.items", DifferenceType.Changed)]
    [InlineData("ALTER POLICY items_visible ON items USING (qty > 1)", SchemaObjectKind.Policy, "items_visible on public.items", DifferenceType.Changed)]
    [InlineData("DROP POLICY items_visible ON items", SchemaObjectKind.Policy, "items_visible on public.items", DifferenceType.Missing)]
    [InlineData("REVOKE SELECT ON items FROM PUBLIC", SchemaObjectKind.Grant, "table public.items to PUBLIC", DifferenceType.Missing)]
    [InlineData("GRANT INSERT ON items TO PUBLIC", SchemaObjectKind.Grant, "table public.items to PUBLIC", DifferenceType.Changed)]
    [InlineData("REVOKE EXECUTE ON FUNCTION touch() FROM PUBLIC", SchemaObjectKind.Grant, "function public.touch() to PUBLIC", DifferenceType.Missing)]
    [InlineData("COMMENT ON TABLE items IS 'Edited by hand'", SchemaObjectKind.Comment, "on table public.items", DifferenceType.Changed)]
    [InlineData("COMMENT ON COLUMN items.code IS NULL", SchemaObjectKind.Comment, "on column code of table public.items", DifferenceType.Missing)]
    public async Task Object_changed_by_hand_is_reported_by_kind_and_name(string change, SchemaObjectKind kind, string name, DifferenceType type)
    {
        await using var database = await postgres.CreateDatabaseAsync(Everything, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, change);

        var report = await SchemaMigrator.DetectDriftAsync(Everything, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        var difference = Assert.Single(report.Differences, d => d.Kind == kind && d.Name == name);
        Assert.Equal(type, difference.Type);
        Assert.Contains(name, difference.ToString(), StringComparison.Ordinal);
        Assert.Empty(await ScratchDatabasesAsync());
    }

    [Fact(Timeout = 120_000)]
    public async Task Invalid_index_left_by_a_failed_concurrent_build_is_reported_as_changed()
    {
        await using var database = await postgres.CreateDatabaseAsync(Everything, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DROP INDEX idx_items_code; INSERT INTO items (code, name) VALUES ('same', 'a'), ('same', 'b')");
        await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(database.DataSource, "CREATE UNIQUE INDEX CONCURRENTLY idx_items_code ON items (code)"));

        var report = await SchemaMigrator.DetectDriftAsync(Everything, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        var difference = Assert.Single(report.Differences);
        Assert.Equal((SchemaObjectKind.Index, "public.idx_items_code", DifferenceType.Changed), (difference.Kind, difference.Name, difference.Type));
        Assert.Equal(difference.Expected + " (INVALID)", difference.Actual);
    }

    [Fact(Timeout = 120_000)]
    public async Task History_table_its_siblings_and_the_production_marker_are_not_drift()
    {
        await using var database = await postgres.CreateDatabaseAsync(Everything, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(
            database.DataSource,
            "CREATE TABLE schema_migrations_lease (owner text PRIMARY KEY); CREATE INDEX lease_by_owner ON schema_migrations_lease (owner); " +
            "COMMENT ON TABLE schema_migrations IS 'referralos:environment=production'; GRANT SELECT ON schema_migrations TO PUBLIC");

        var report = await SchemaMigrator.DetectDriftAsync(Everything, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Differences);
    }

    [Fact(Timeout = 120_000)]
    public async Task Only_the_migrations_the_database_records_are_expected_so_a_pending_one_is_not_drift()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Everything.Migrations[0]), TestDatabaseOptions.SchemaOnly);

        var report = await SchemaMigrator.DetectDriftAsync(Everything, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Differences);
        Assert.Equal(["001_everything"], report.Compared);
    }

    [Fact(Timeout = 120_000)]
    public async Task Migration_that_fails_in_the_scratch_database_is_a_typed_error_and_leaves_no_scratch_database()
    {
        var needsARole = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE t (id int);", name: "table"));
        await using var database = await postgres.CreateDatabaseAsync(needsARole, TestDatabaseOptions.SchemaOnly);
        var edited = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE t (id int); GRANT SELECT ON t TO role_that_does_not_exist;", name: "table"));

        var failed = await Assert.ThrowsAsync<ScratchDatabaseException>(() => SchemaMigrator.DetectDriftAsync(edited, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("expected schema", failed.Message, StringComparison.Ordinal);
        Assert.Empty(await ScratchDatabasesAsync());
    }

    private async Task<List<string>> ScratchDatabasesAsync()
    {
        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        return await Sql.ListAsync(server, $"SELECT datname::text FROM pg_database WHERE datname LIKE '{ScratchDatabase.NamePrefix}drift%'", r => r.GetString(0));
    }
}
