using ReferralOS.Schema;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// <c>referralos-db repair --accept &lt;version&gt; --reason "…"</c> on a project's own folder and a real database: the
/// repair is logged, the history and the lock file take the edited file's checksum, status shows it repaired, and
/// migrate and the build accept the file again.
/// </summary>
public sealed class RepairCommandTests(PostgresServerFixture postgres) : IDisposable
{
    private const string Widgets = """
        -- Migration: 001_create_widgets
        -- Description: Create widgets
        -- Created: 2026-01-01T00:00:00Z

        -- Up Migration
        CREATE TABLE IF NOT EXISTS widgets (id BIGSERIAL PRIMARY KEY);

        -- Down Migration (commented, for reference)
        -- DROP TABLE IF EXISTS widgets;

        """;

    private static readonly string EditedWidgets = Widgets.Replace("-- Up Migration\n", "-- Up Migration\n-- One row per widget.\n", StringComparison.Ordinal);

    private readonly string _folder = TestFolders.Create("referralos-repair");

    private string Db => Path.Combine(_folder, "db");

    private string LockPath => Path.Combine(Db, "migrations.lock");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Repair_logs_the_edit_updates_history_and_lock_file_and_status_shows_it_repaired()
    {
        await using var database = await AppliedAndEditedAsync();
        var refused = await RunAsync("migrate", "--execution", "db", "-c", database.ConnectionString);

        var repair = await RunAsync("repair", "--accept", "001_create_widgets", "--reason", "Comment added; same schema", "--execution", "db", "-c", database.ConnectionString);
        var status = await RunAsync("status", "--execution", "db", "-c", database.ConnectionString);
        var migrate = await RunAsync("migrate", "--execution", "db", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, refused.ExitCode);
        Assert.True(repair.ExitCode == ExitCodes.Ok, repair.Error);
        Assert.Contains($"001_create_widgets: recorded checksum {SqlFileChecksum.Compute(Widgets)} replaced by {SqlFileChecksum.Compute(EditedWidgets)}, logged with the reason.", repair.OutLines);
        Assert.Equal(SqlFileChecksum.Compute(EditedWidgets), Assert.Single(MigrationLockFile.Parse(await File.ReadAllTextAsync(LockPath, TestContext.Current.CancellationToken)).Entries).Checksum);
        Assert.Equal(ExitCodes.Ok, status.ExitCode);
        Assert.Single(status.OutLines, line => line.StartsWith("001_create_widgets ", StringComparison.Ordinal) && line.Contains(" repaired ", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Ok, migrate.ExitCode);
        await using var reason = database.DataSource.CreateCommand("SELECT reason || ' / ' || operator FROM schema_migrations_repairs");
        Assert.Equal($"Comment added; same schema / {Environment.UserName}", await reason.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 120_000)]
    public async Task Repair_of_a_database_marked_production_needs_confirm_production_and_leaves_the_lock_file_alone_without_it()
    {
        await using var database = await AppliedAndEditedAsync("--environment", "production");
        var lockBefore = await File.ReadAllTextAsync(LockPath, TestContext.Current.CancellationToken);

        var refused = await RunAsync("repair", "--accept", "001_create_widgets", "--reason", "Comment added", "--execution", "db", "-c", database.ConnectionString);
        var lockAfterRefusal = await File.ReadAllTextAsync(LockPath, TestContext.Current.CancellationToken);
        var confirmed = await RunAsync("repair", "--accept", "001_create_widgets", "--reason", "Comment added", "--confirm-production", "--execution", "db", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, refused.ExitCode);
        Assert.Contains("--confirm-production", refused.Error, StringComparison.Ordinal);
        Assert.Equal(lockBefore, lockAfterRefusal);
        Assert.True(confirmed.ExitCode == ExitCodes.Ok, confirmed.Error);
        Assert.NotEqual(lockBefore, await File.ReadAllTextAsync(LockPath, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 120_000)]
    public async Task Repair_of_a_version_the_code_does_not_have_exits_with_the_validation_code()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("repair", "--accept", "099_no_such", "--reason", "Because", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("the code has no migration of that version", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--reason", "  ")]
    [InlineData("--confirm-production", null)]
    public async Task Repair_without_a_reason_is_a_usage_error(string option, string? value)
    {
        var run = await CliRun.RunAsync(value is null ? ["repair", "--accept", "001_create_extensions", option] : ["repair", "--accept", "001_create_extensions", option, value]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--reason", run.Error, StringComparison.Ordinal);
    }

    /// <summary>The folder's one migration applied and released, then its file edited.</summary>
    private async Task<TestDatabase> AppliedAndEditedAsync(params string[] migrateOptions)
    {
        Write("migrations/001_create_widgets.sql", Widgets);
        var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var migrate = await RunAsync(["migrate", "--execution", "db", "-c", database.ConnectionString, .. migrateOptions]);
        var release = await RunAsync("lock", "--execution", "db");
        Assert.True(migrate.ExitCode == ExitCodes.Ok && release.ExitCode == ExitCodes.Ok, migrate.Error + release.Error);
        Write("migrations/001_create_widgets.sql", EditedWidgets);
        return database;
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(Db, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_folder, new Dictionary<string, string>(), args);
}
