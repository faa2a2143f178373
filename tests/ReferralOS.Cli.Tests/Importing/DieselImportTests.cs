using ReferralOS.Sdk;

namespace ReferralOS.Cli.Tests.Importing;

/// <summary><c>import --from diesel</c>: one folder per migration, up.sql and down.sql, metadata.toml.</summary>
public sealed class DieselImportTests : IDisposable
{
    private const string CreateUsersUp = "CREATE TABLE users (\n  id SERIAL PRIMARY KEY,\n  name VARCHAR NOT NULL\n);\n";
    private const string CreateUsersDown = "DROP TABLE users;\n";

    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Diesel_folders_are_renumbered_in_version_order_with_the_spec_s_header_and_the_original_version()
    {
        _workspace.Write("2024-03-01-101010-0000_create_posts/up.sql", "CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));\n");
        _workspace.Write("2024-03-01-101010-0000_create_posts/down.sql", "DROP TABLE posts;\n");
        _workspace.Write("2019-02-23-172340_create_users/up.sql", CreateUsersUp);
        _workspace.Write("2019-02-23-172340_create_users/down.sql", CreateUsersDown);
        _workspace.Write("00000000000000_diesel_initial_setup/up.sql", "SELECT 1;\n");
        _workspace.Write("00000000000000_diesel_initial_setup/down.sql", "SELECT 2;\n");
        _workspace.Write(".keep", string.Empty);

        var run = await _workspace.ImportAsync("diesel");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["001_diesel_initial_setup.sql", "002_create_users.sql", "003_create_posts.sql"], _workspace.MigrationFiles);
        Assert.Equal(
            [
                "-- Migration: 002_create_users",
                "-- Description: Create users",
                "-- Created: 2019-02-23T17:23:40Z",
                "-- Imported-From: diesel 20190223172340",
            ],
            _workspace.Header("002_create_users.sql"));
        Assert.Equal("-- Imported-From: diesel 00000000000000", _workspace.Header("001_diesel_initial_setup.sql")[3]);
        Assert.Equal(["-- Created: 2024-03-01T10:10:10Z", "-- Imported-From: diesel 202403011010100000"], _workspace.Header("003_create_posts.sql").Skip(2));
        Assert.StartsWith("Imported 3 migrations from diesel into ", run.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diesel_up_sql_is_copied_byte_for_byte_and_down_sql_becomes_the_down_the_runtime_runs()
    {
        var up = "-- users, with a comment kept\r\nCREATE TABLE users (\r\n  id SERIAL PRIMARY KEY, -- é, ü\r\n  name VARCHAR NOT NULL\r\n);\r\n";
        var down = "-- undo\n\n  DROP TABLE users;\n";
        _workspace.Write("2019-02-23-172340_create_users/up.sql", up);
        _workspace.Write("2019-02-23-172340_create_users/down.sql", down);

        await _workspace.ImportAsync("diesel");
        var migration = Assert.Single((await _workspace.CompileAsync()).Migrations);

        var source = _workspace.SourceBytes("2019-02-23-172340_create_users/up.sql");
        Assert.Equal(source, _workspace.UpBytes("001_create_users.sql", source.Length));
        Assert.Equal(down, migration.Down!.Text.TrimEnd('\n') + "\n");
        Assert.Equal("DROP TABLE users;", Assert.Single(migration.Down.Statements).Sql);
        Assert.Equal(MigrationTransactionMode.Transactional, migration.TransactionMode);
    }

    [Theory]
    [InlineData("run_in_transaction = false\n", true)]
    [InlineData("# diesel reads a metadata.toml without the key as false\n", true)]
    [InlineData("run_in_transaction = true\n", false)]
    public async Task Diesel_metadata_toml_decides_transaction_none_as_diesel_reads_it(string metadata, bool outside)
    {
        _workspace.Write("2019-02-23-172340_create_users/up.sql", CreateUsersUp);
        _workspace.Write("2019-02-23-172340_create_users/down.sql", CreateUsersDown);
        _workspace.Write("2019-02-23-172340_create_users/metadata.toml", metadata);

        await _workspace.ImportAsync("diesel");

        Assert.Equal(outside, _workspace.Header("001_create_users.sql").Contains("-- Transaction: none"));
    }

    [Fact]
    public async Task A_diesel_folder_without_up_sql_is_refused_and_nothing_is_written()
    {
        _workspace.Write("2019-02-23-172340_create_users/up.sql", CreateUsersUp);
        _workspace.Write("2019-03-01-101010_half_written/down.sql", "DROP TABLE posts;\n");

        var run = await _workspace.ImportAsync("diesel");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("2019-03-01-101010_half_written: has no up.sql, so diesel refuses the whole folder: add the migration's up.sql or move the folder out", run.OutLines);
        Assert.False(Directory.Exists(_workspace.Execution));
    }
}
