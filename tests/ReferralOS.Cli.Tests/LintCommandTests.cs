namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db lint</c>: the build's diagnostics over a copy of execution/, without building.</summary>
public sealed class LintCommandTests : IDisposable
{
    private const string UnsafeMigration = """
        -- Migration: 011_drop_user_email
        -- Description: Drop the email column of users
        -- Created: 2026-01-01T00:00:00Z

        -- Up Migration
        ALTER TABLE users DROP COLUMN email;

        -- Down Migration (commented, for reference)
        -- ALTER TABLE users ADD COLUMN IF NOT EXISTS email VARCHAR(320);
        """;

    private readonly string _folder = TestFolders.CopyOfExecution("referralos-lint");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A migration that builds an index on users without CONCURRENTLY or timeouts: ROS0115 and ROS0118.</summary>
    private static string IndexMigration(string version, string index) => $"""
        -- Migration: {version}
        -- Description: Index users by name
        -- Created: 2026-01-0{version[2]}T00:00:00Z

        -- Up Migration
        CREATE INDEX IF NOT EXISTS {index} ON users (name);

        -- Down Migration (commented, for reference)
        -- DROP INDEX IF EXISTS {index};
        """;

    private string Migration(string fileName) => Path.Combine(_folder, "execution", "migrations", fileName);

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_folder, new Dictionary<string, string>(), args);

    [Fact]
    public async Task Lint_passes_on_the_shipped_schema()
    {
        var run = await RunAsync("lint");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal($"Linted 13 files in {Path.Combine(_folder, "execution")}: 0 errors, 0 warnings.", run.OutLines[^1]);
    }

    [Fact]
    public async Task Lint_reports_an_unsafe_operation_on_its_line_with_the_build_s_id_and_exits_3()
    {
        await File.WriteAllTextAsync(Migration("011_drop_user_email.sql"), UnsafeMigration, TestContext.Current.CancellationToken);

        var run = await RunAsync("lint");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        var drop = Assert.Single(run.OutLines, l => l.Contains(" ROS0101: ", StringComparison.Ordinal));
        Assert.StartsWith(Path.Combine("execution", "migrations", "011_drop_user_email.sql") + "(6,19): error ROS0101: Dropping column 'email' of 'users'", drop, StringComparison.Ordinal);
        Assert.Contains(run.OutLines, l => l.Contains("(6,19): error ROS0118: ", StringComparison.Ordinal));
        Assert.StartsWith("error: Linted 14 files", run.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_accepts_a_reasoned_opt_out_and_refuses_one_without_a_reason()
    {
        var excused = UnsafeMigration
            .Replace("-- Created: 2026-01-01T00:00:00Z", "-- Created: 2026-01-01T00:00:00Z\n-- Lock-Timeout: 5s\n-- Statement-Timeout: 1min", StringComparison.Ordinal)
            .Replace("ALTER TABLE users DROP COLUMN email;", "-- referralos:allow ROS0101 because email moved to user_contacts in 2025 and no code reads it\nALTER TABLE users DROP COLUMN email;", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Migration("011_drop_user_email.sql"), excused, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(_folder, "execution", "seeds", "002_test_users.sql"),
            (await File.ReadAllTextAsync(Path.Combine(_folder, "execution", "seeds", "002_test_users.sql"), TestContext.Current.CancellationToken)).Replace("  email,\n", string.Empty, StringComparison.Ordinal).Replace("  'referrer@example.com',\n", string.Empty, StringComparison.Ordinal).Replace("  'referred@example.com',\n", string.Empty, StringComparison.Ordinal),
            TestContext.Current.CancellationToken);
        var passed = await RunAsync("lint");

        await File.WriteAllTextAsync(Migration("011_drop_user_email.sql"), excused.Replace(" because email moved to user_contacts in 2025 and no code reads it", string.Empty, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var refused = await RunAsync("lint");

        Assert.Equal(ExitCodes.Ok, passed.ExitCode);
        Assert.Equal(ExitCodes.ValidationFailed, refused.ExitCode);
        Assert.Contains(refused.OutLines, l => l.Contains("(8,1): error ROS0100: ", StringComparison.Ordinal));
        Assert.Contains(refused.OutLines, l => l.Contains("(9,19): error ROS0101: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lint_does_not_lint_a_released_migration_and_lints_a_new_one_with_the_same_statement()
    {
        await File.WriteAllTextAsync(Migration("011_index_user_names.sql"), IndexMigration("011_index_user_names", "idx_users_name"), TestContext.Current.CancellationToken);
        var locked = await RunAsync("lock");
        var released = await RunAsync("lint");

        await File.WriteAllTextAsync(Migration("012_index_user_names_again.sql"), IndexMigration("012_index_user_names_again", "idx_users_name_2"), TestContext.Current.CancellationToken);
        var next = await RunAsync("lint");

        Assert.Equal(ExitCodes.Ok, locked.ExitCode);
        Assert.Equal(ExitCodes.Ok, released.ExitCode);
        Assert.Equal($"Linted 14 files in {Path.Combine(_folder, "execution")}: 0 errors, 0 warnings.", released.OutLines[^1]);
        Assert.Equal(ExitCodes.ValidationFailed, next.ExitCode);
        Assert.Equal(
            [Path.Combine("execution", "migrations", "012_index_user_names_again.sql") + " ROS0115", Path.Combine("execution", "migrations", "012_index_user_names_again.sql") + " ROS0118"],
            next.OutLines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l[..l.IndexOf('(', StringComparison.Ordinal)] + " " + l.Split(": error ")[1][..7]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lint_applies_the_severities_an_editorconfig_above_the_execution_folder_sets_as_the_build_does()
    {
        await File.WriteAllTextAsync(Migration("011_index_user_names.sql"), IndexMigration("011_index_user_names", "idx_users_name"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(_folder, ".editorconfig"),
            "root = true\n\n[*.sql]\ndotnet_diagnostic.ROS0115.severity = warning\ndotnet_diagnostic.ROS0118.severity = none\n",
            TestContext.Current.CancellationToken);

        var run = await RunAsync("lint");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.Contains(": warning ROS0115: ", StringComparison.Ordinal));
        Assert.DoesNotContain(run.OutLines, l => l.Contains("ROS0118", StringComparison.Ordinal));
        Assert.Equal($"Linted 14 files in {Path.Combine(_folder, "execution")}: 0 errors, 1 warning.", run.OutLines[^1]);
    }

    [Fact]
    public async Task Lint_strict_fails_on_a_warning_that_plain_lint_lets_pass()
    {
        var withoutDown = UnsafeMigration[..UnsafeMigration.IndexOf("\n\n-- Down", StringComparison.Ordinal)]
            .Replace("ALTER TABLE users DROP COLUMN email;", "CREATE TABLE IF NOT EXISTS payouts (id UUID PRIMARY KEY);", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Migration("011_drop_user_email.sql"), withoutDown, TestContext.Current.CancellationToken);

        var plain = await RunAsync("lint");
        var strict = await RunAsync("lint", "--strict");

        Assert.Equal(ExitCodes.Ok, plain.ExitCode);
        Assert.Contains(plain.OutLines, l => l.Contains(": warning ROS0012: ", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.ValidationFailed, strict.ExitCode);
    }

    [Fact]
    public async Task Lint_reports_a_file_with_an_upper_case_extension_as_the_build_does()
    {
        await File.WriteAllTextAsync(Migration("011_upper.SQL"), UnsafeMigration.Replace("011_drop_user_email", "011_upper", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var run = await RunAsync("lint");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith(Path.Combine("execution", "migrations", "011_upper.SQL") + "(1,1): error ROS0001: '011_upper.SQL' is not a valid migration file name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lint_reports_bytes_that_are_not_UTF_8_on_their_line_and_column()
    {
        var latin1 = System.Text.Encoding.Latin1.GetBytes(UnsafeMigration.Replace("-- ALTER TABLE users ADD", "-- ALTER TABLE usérs ADD", StringComparison.Ordinal));
        await File.WriteAllBytesAsync(Migration("011_drop_user_email.sql"), latin1, TestContext.Current.CancellationToken);

        var run = await RunAsync("lint");

        Assert.Contains(run.OutLines, l => l.StartsWith(Path.Combine("execution", "migrations", "011_drop_user_email.sql") + "(9,18): error ROS0032: '011_drop_user_email.sql' is not valid UTF-8 on this line (byte 0xE9 at column 18 starts no UTF-8 character)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lint_reports_an_unclosed_comment_where_it_opens()
    {
        await File.WriteAllTextAsync(Migration("011_drop_user_email.sql"), UnsafeMigration.Replace("ALTER TABLE users DROP COLUMN email;", "/* not yet\nALTER TABLE users DROP COLUMN email;", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var run = await RunAsync("lint");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        var line = Assert.Single(run.OutLines, l => l.Contains(" error ", StringComparison.Ordinal));
        Assert.StartsWith(Path.Combine("execution", "migrations", "011_drop_user_email.sql") + "(6,1): error ROS0030: This block comment is never closed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_reports_a_file_whose_name_is_not_UTF_8_instead_of_failing()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Only Linux file systems keep names that are not UTF-8.");
        var migrations = Path.GetDirectoryName(Migration("x"))!;
        await ShellAsync(migrations, "touch \"$(printf '011_caf\\351.sql')\"");
        try
        {
            var run = await RunAsync("lint");

            Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
            Assert.Contains(run.OutLines, l => l.Contains("error ROS0033: '011_caf\uFFFD.sql' cannot be read, so it is in no catalog: its name is not valid UTF-8", StringComparison.Ordinal));
        }
        finally
        {
            // No .NET API can name the file to delete it: the shell can.
            await ShellAsync(migrations, "rm -f \"$(printf '011_caf\\351.sql')\"");
        }
    }

    private static async Task ShellAsync(string folder, string command)
    {
        using var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = folder })!;
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, shell.ExitCode);
    }
}
