using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Cli.Tests.Importing;

/// <summary>What <c>referralos-db import</c> does whatever the tool: numbering, Created, the lock, and what it refuses.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Psql_meta_commands_are_reported_with_file_and_line_and_nothing_is_imported()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        _workspace.Write("2_settings.up.sql", "\\set ON_ERROR_STOP on\nSELECT E'a\\\\b', $$ \\i not_a_command $$; -- \\connect in a comment\n\\i shared/functions.sql\n");

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Equal(
            ["2_settings.up.sql(1): the psql meta-command \\set", "2_settings.up.sql(3): the psql meta-command \\i"],
            run.OutLines.Where(l => l.Contains("meta-command", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(':', l.IndexOf(')', StringComparison.Ordinal) + 2)]).Select(l => l.TrimEnd(':')));
        Assert.StartsWith("error: Nothing was imported: 2 problems in ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_workspace.Execution));
    }

    [Fact]
    public async Task Copy_from_stdin_with_inline_rows_is_reported_on_its_line_and_nothing_is_imported()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id INT PRIMARY KEY, name TEXT);\n\nCOPY users (id, name) FROM stdin;\n1\tada\n2\tgrace\n\\.\n");

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("1_create_users.up.sql(3): COPY … FROM stdin reads its rows from the client", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_workspace.Execution));
    }

    [Fact]
    public async Task Import_into_an_execution_folder_that_has_migrations_is_refused_and_leaves_it_alone()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        Directory.CreateDirectory(_workspace.Migrations);
        File.WriteAllText(Path.Combine(_workspace.Migrations, "001_existing.sql"), "-- Migration: 001_existing\n");

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith($"execution: {_workspace.Migrations} is not empty: import writes a whole history numbered from 001", StringComparison.Ordinal));
        Assert.Equal(["001_existing.sql"], _workspace.MigrationFiles);
    }

    [Fact]
    public async Task The_number_width_grows_past_999_migrations()
    {
        for (var i = 1; i <= 1000; i++)
        {
            _workspace.Write($"{i}_step_{i}.up.sql", $"SELECT {i};\n");
        }

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("0001_step_1.sql", _workspace.MigrationFiles[0]);
        Assert.Equal("1000_step_1000.sql", _workspace.MigrationFiles[^1]);
        Assert.Equal("-- Migration: 0999_step_999", _workspace.Header("0999_step_999.sql")[0]);
    }

    [Fact]
    public async Task Every_imported_migration_is_released_in_the_lock_and_lint_and_verify_strict_pass()
    {
        _workspace.Write("20200101000000_create_users.sql", "-- migrate:up\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n-- migrate:down\nDROP TABLE users;\n");
        _workspace.Write("20200102000000_create_posts.sql", "-- migrate:up\nCREATE TABLE posts (id BIGSERIAL PRIMARY KEY, user_id BIGINT);\n-- migrate:down\nDROP TABLE posts;\n");

        await _workspace.ImportAsync("dbmate");
        var lint = await CliRun.RunAsync(_workspace.Root, new Dictionary<string, string>(), "lint", "--strict");
        var verify = await CliRun.RunAsync(_workspace.Root, new Dictionary<string, string>(), "verify", "--strict");

        var lockFile = MigrationLockFile.Parse(File.ReadAllText(Path.Combine(_workspace.Execution, MigrationLockFile.FileName)));
        Assert.Equal(["001_create_users", "002_create_posts"], lockFile.Entries.Select(e => e.Version));
        Assert.Equal(SqlFileChecksum.Compute(_workspace.Migration("001_create_users.sql")), lockFile.Entries[0].Checksum);
        Assert.True(lockFile.SumMatches);
        Assert.True(lint.ExitCode == ExitCodes.Ok, lint.Out);
        Assert.EndsWith(": 0 errors, 0 warnings.", lint.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
    }

    [Fact]
    public async Task A_crlf_file_keeps_its_line_endings_and_the_lines_import_adds_use_them_too()
    {
        var up = "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\r\n";
        _workspace.Write("1_create_users.up.sql", up);
        _workspace.Write("1_create_users.down.sql", "DROP TABLE users;\r\n");

        await _workspace.ImportAsync("golang-migrate");
        var text = _workspace.Migration("001_create_users.sql");

        Assert.DoesNotContain('\n', text.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(up), _workspace.UpBytes("001_create_users.sql", up.Length));
        Assert.EndsWith("-- Down Migration (commented, for reference)\r\n-- DROP TABLE users;\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Created_comes_from_a_timestamp_version_and_otherwise_from_the_nearest_one_before_it_or_after_it()
    {
        _workspace.Write("00000000000000_initial.sql", "-- migrate:up\nSELECT 0;\n");
        _workspace.Write("20200101093000_first.sql", "-- migrate:up\nSELECT 1;\n");
        _workspace.Write("20200101093001_not_a_time_but_in_between.sql", "-- migrate:up\nSELECT 2;\n");
        _workspace.Write("20210615120000_second.sql", "-- migrate:up\nSELECT 3;\n");

        await _workspace.ImportAsync("dbmate");

        Assert.Equal(
            ["2020-01-01T09:30:00Z", "2020-01-01T09:30:00Z", "2020-01-01T09:30:01Z", "2021-06-15T12:00:00Z"],
            _workspace.MigrationFiles.Select(f => _workspace.Header(f)[2]["-- Created: ".Length..]));
    }

    [Fact]
    public async Task Created_is_the_unix_epoch_when_no_version_is_a_timestamp()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");

        await _workspace.ImportAsync("golang-migrate");

        Assert.Equal("-- Created: 1970-01-01T00:00:00Z", _workspace.Header("001_create_users.sql")[2]);
    }

    [Fact]
    public async Task A_comment_that_reads_as_the_down_marker_is_refused_since_it_would_end_the_up_section()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n-- Down migration: drop it by hand\nCREATE TABLE posts (id BIGSERIAL PRIMARY KEY);\n");

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("1_create_users.up.sql(2): this comment reads as the '-- Down Migration' line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused()
    {
        _workspace.WriteBytes("1_create_users.up.sql", [.. "CREATE TABLE caf"u8, 0xE9, .. " (id INT);\n"u8]);

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("1_create_users.up.sql: is not UTF-8 (at byte offset 16)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_tool_is_a_usage_error_naming_the_tools()
    {
        var run = await _workspace.ImportAsync("liquibase");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--from is 'liquibase', which is not a tool import reads: use diesel, golang-migrate, flyway, dbmate, goose, sqlx.", run.ErrorLines);
    }
}
