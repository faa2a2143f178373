namespace ReferralOS.Cli.Tests.Importing;

/// <summary><c>import --from sqlx</c>: reversible <c>.up.sql</c>/<c>.down.sql</c> and simple <c>.sql</c> files, <c>-- no-transaction</c>.</summary>
public sealed class SqlxImportTests : IDisposable
{
    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Sqlx_reversible_and_simple_migrations_import_in_version_order()
    {
        _workspace.Write("20220101000000_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        _workspace.Write("20220101000000_create_users.down.sql", "DROP TABLE users;\n");
        _workspace.Write("20220201000000_create_posts.sql", "CREATE TABLE posts (id BIGSERIAL PRIMARY KEY);\n");

        var run = await _workspace.ImportAsync("sqlx");
        var catalog = await _workspace.CompileAsync();

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["001_create_users.sql", "002_create_posts.sql"], _workspace.MigrationFiles);
        Assert.Equal(
            ["-- Migration: 002_create_posts", "-- Description: Create posts", "-- Created: 2022-02-01T00:00:00Z", "-- Imported-From: sqlx 20220201000000"],
            _workspace.Header("002_create_posts.sql"));
        Assert.Equal("DROP TABLE users;", Assert.Single(catalog.Migrations[0].Down!.Statements).Sql);
        Assert.Null(catalog.Migrations[1].Down);
    }

    [Fact]
    public async Task Sqlx_no_transaction_counts_only_on_the_first_line_as_sqlx_reads_it()
    {
        _workspace.Write("1_create_users.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT);\n");
        _workspace.Write("2_index_email.sql", "-- no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n");
        _workspace.Write("3_not_first.sql", "-- backfill\n-- no-transaction\nUPDATE users SET email = lower(email);\n");

        await _workspace.ImportAsync("sqlx");

        Assert.Equal([false, true, false], _workspace.MigrationFiles.Select(f => _workspace.Header(f).Contains("-- Transaction: none")));
        Assert.Equal("-- no-transaction\n"u8.ToArray(), _workspace.UpBytes("002_index_email.sql", 18));
    }
}
