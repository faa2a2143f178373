using ReferralOS.Schema;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// <c>referralos-db lock</c> and <c>verify</c> on a copy of the repository's execution/ folder, and verify against
/// a real database's schema_migrations.
/// </summary>
public sealed class LockAndVerifyCommandTests(PostgresServerFixture postgres) : IDisposable
{
    private readonly string _folder = TestFolders.CopyOfExecution("referralos-lock");

    private string Execution => Path.Combine(_folder, "execution");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Runs the CLI in the copy's folder, with no environment variables (so no database unless given).</summary>
    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_folder, new Dictionary<string, string>(), args);

    [Fact]
    public async Task Verify_passes_on_the_shipped_schema_and_its_lock()
    {
        var run = await RunAsync("verify");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("Verified 10 migrations against migrations.lock: everything matches.", run.OutLines[^1]);
    }

    [Fact]
    public async Task Verify_fails_on_an_edited_released_migration_naming_both_checksums()
    {
        var path = Path.Combine(Execution, "migrations", "002_create_tenants.sql");
        var released = SqlFileChecksum.Compute(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        await File.AppendAllTextAsync(path, "-- one more line\n", TestContext.Current.CancellationToken);
        var edited = SqlFileChecksum.Compute(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));

        var run = await RunAsync("verify");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        var line = Assert.Single(run.OutLines, l => l.StartsWith("002_create_tenants was edited after it was released:", StringComparison.Ordinal));
        Assert.Contains(released, line, StringComparison.Ordinal);
        Assert.Contains(edited, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_releases_a_new_migration_and_verify_strict_then_passes()
    {
        await File.WriteAllTextAsync(Path.Combine(Execution, "migrations", "011_add_user_locale.sql"), "-- Migration: 011_add_user_locale\n", TestContext.Current.CancellationToken);
        var before = await RunAsync("verify", "--strict");

        var locked = await RunAsync("lock");
        var after = await RunAsync("verify", "--strict");

        Assert.Equal(ExitCodes.ValidationFailed, before.ExitCode);
        Assert.Equal(ExitCodes.Ok, locked.ExitCode);
        Assert.Contains("released 011_add_user_locale", locked.OutLines);
        Assert.Equal(ExitCodes.Ok, after.ExitCode);
        var lockFile = MigrationLockFile.Parse(await File.ReadAllTextAsync(Path.Combine(Execution, MigrationLockFile.FileName), TestContext.Current.CancellationToken));
        Assert.Equal("011_add_user_locale", lockFile.Entries[^1].Version);
        Assert.True(lockFile.SumMatches);
    }

    [Fact]
    public async Task Lock_refuses_and_leaves_the_file_alone_while_a_released_migration_was_edited()
    {
        var lockPath = Path.Combine(Execution, MigrationLockFile.FileName);
        var lockBefore = await File.ReadAllTextAsync(lockPath, TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(Execution, "migrations", "009_create_audit_logs.sql"));

        var run = await RunAsync("lock");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("009_create_audit_logs:", StringComparison.Ordinal));
        Assert.Equal(lockBefore, await File.ReadAllTextAsync(lockPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Verify_checks_what_a_database_applied_against_the_files()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        var clean = await RunAsync("verify", "--connection", database.ConnectionString);
        await Sql.ExecuteAsync(database.DataSource, "UPDATE schema_migrations SET checksum = repeat('e', 64) WHERE version = '003_create_users'");

        var drifted = await RunAsync("verify", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, clean.ExitCode);
        Assert.Equal("Verified 10 migrations against migrations.lock and the database: everything matches.", clean.OutLines[^1]);
        Assert.Equal(ExitCodes.ValidationFailed, drifted.ExitCode);
        Assert.Contains(drifted.OutLines, l => l.StartsWith("003_create_users was edited after it was applied: the database records checksum " + new string('e', 64), StringComparison.Ordinal));
    }
}
