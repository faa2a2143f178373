using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 16.5: repair accepts a deliberate edit of an applied migration with a reason — logged with both checksums in
/// the history's repairs table, the history row updated — so that migrate runs again; refused on production unless
/// confirmed; status shows the migration as repaired; nothing to repair is a clear error that changes nothing.
/// </summary>
public sealed class RepairTests(PostgresServerFixture postgres)
{
    private static readonly Migration Applied = TestCatalog.Migration(1, "CREATE TABLE items (id int);", name: "items");

    /// <summary>The same file with a comment fixed: another checksum, the same schema.</summary>
    private static readonly Migration Edited = TestCatalog.Migration(1, "-- Items, one row each.\nCREATE TABLE items (id int);", name: "items");

    private static readonly Migration Next = TestCatalog.Migration(2, "ALTER TABLE items ADD COLUMN name text;", name: "items_name");

    private static readonly MigrationCatalog EditedCatalog = TestCatalog.Of(Edited, Next);

    [Fact(Timeout = 60_000)]
    public async Task Repair_then_migrate_applies_the_rest_and_logs_both_checksums_with_the_reason()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Applied), TestDatabaseOptions.SchemaOnly);
        await Assert.ThrowsAsync<MigrationChecksumMismatchException>(() => SchemaMigrator.MigrateAsync(EditedCatalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken));

        var repair = await new SchemaMigrator(EditedCatalog, database.DataSource).RepairAsync("001_items", "  Comment fixed; same schema  ", operatorName: "alice", cancellationToken: TestContext.Current.CancellationToken);
        var migrated = await SchemaMigrator.MigrateAsync(EditedCatalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(("001_items", Applied.Checksum, Edited.Checksum, "Comment fixed; same schema"), (repair.Version, repair.OldChecksum, repair.NewChecksum, repair.Reason));
        Assert.Equal(["002_items_name"], migrated.Applied.Select(a => a.Version));
        Assert.Equal([("001_items", Edited.Checksum), ("002_items_name", Next.Checksum)], await Sql.HistoryAsync(database.DataSource));
        var logged = Assert.Single(await Sql.ListAsync(
            database.DataSource,
            "SELECT version, old_checksum, new_checksum, reason, operator, repaired_by = current_user, repaired_at FROM schema_migrations_repairs",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetBoolean(5), r.GetFieldValue<DateTimeOffset>(6))));
        Assert.Equal(("001_items", Applied.Checksum, Edited.Checksum, "Comment fixed; same schema", "alice", true, repair.RepairedAt), logged);
    }

    [Fact(Timeout = 60_000)]
    public async Task Status_shows_a_repaired_migration_as_repaired_and_the_database_as_up_to_date()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Applied), TestDatabaseOptions.SchemaOnly);
        var edited = TestCatalog.Of(Edited);
        Assert.Equal(MigrationState.ChecksumMismatch, Assert.Single((await SchemaMigrator.StatusAsync(edited, database.DataSource, TestContext.Current.CancellationToken)).Migrations).State);

        await new SchemaMigrator(edited, database.DataSource).RepairAsync("001_items", "Comment fixed", cancellationToken: TestContext.Current.CancellationToken);
        var status = await SchemaMigrator.StatusAsync(edited, database.DataSource, TestContext.Current.CancellationToken);

        Assert.Equal(MigrationState.Repaired, Assert.Single(status.Migrations).State);
        Assert.Single(status.Applied);
        Assert.True(status.IsUpToDate);
    }

    [Fact(Timeout = 60_000)]
    public async Task Repair_of_a_database_marked_production_is_refused_unless_confirmed()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(), TestDatabaseOptions.Empty);
        await SchemaMigrator.MigrateAsync(TestCatalog.Of(Applied), database.DataSource, new MigrationOptions { Environment = DatabaseEnvironment.Production }, TestContext.Current.CancellationToken);
        var migrator = new SchemaMigrator(EditedCatalog, database.DataSource);

        var refused = await Assert.ThrowsAsync<EnvironmentRefusedException>(() => migrator.RepairAsync("001_items", "Comment fixed", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("--confirm-production", refused.Message, StringComparison.Ordinal);
        Assert.Equal([("001_items", Applied.Checksum)], await Sql.HistoryAsync(database.DataSource));
        Assert.False(await Sql.ScalarAsync<bool>(database.DataSource, "SELECT to_regclass('schema_migrations_repairs') IS NOT NULL"));

        await migrator.RepairAsync("001_items", "Comment fixed", confirmProduction: true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([("001_items", Edited.Checksum)], await Sql.HistoryAsync(database.DataSource));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("099_no_such_migration", "the code has no migration of that version")]
    [InlineData("002_items_name", "does not record it as applied")]
    public async Task Repair_of_a_version_that_is_unknown_or_not_applied_is_refused_and_changes_nothing(string version, string why)
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Applied), TestDatabaseOptions.SchemaOnly);

        var refused = await Assert.ThrowsAsync<RepairRefusedException>(() => new SchemaMigrator(EditedCatalog, database.DataSource).RepairAsync(version, "Because", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(version, refused.Version);
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", refused.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(database);
    }

    [Fact(Timeout = 60_000)]
    public async Task Repair_of_an_unedited_migration_is_refused_and_changes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Applied), TestDatabaseOptions.SchemaOnly);

        var refused = await Assert.ThrowsAsync<RepairRefusedException>(() => new SchemaMigrator(TestCatalog.Of(Applied), database.DataSource).RepairAsync("001_items", "Because", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("already is the file's, so there is no edit to accept", refused.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(database);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Repair_without_a_reason_is_refused_before_anything_is_sent(string reason)
    {
        await using var database = await postgres.CreateDatabaseAsync(TestCatalog.Of(Applied), TestDatabaseOptions.SchemaOnly);

        await Assert.ThrowsAsync<ArgumentException>(() => new SchemaMigrator(EditedCatalog, database.DataSource).RepairAsync("001_items", reason, cancellationToken: TestContext.Current.CancellationToken));

        await AssertUnchangedAsync(database);
    }

    private static async Task AssertUnchangedAsync(TestDatabase database)
    {
        Assert.Equal([("001_items", Applied.Checksum)], await Sql.HistoryAsync(database.DataSource));
        Assert.False(await Sql.ScalarAsync<bool>(database.DataSource, "SELECT to_regclass('schema_migrations_repairs') IS NOT NULL"));
    }
}
