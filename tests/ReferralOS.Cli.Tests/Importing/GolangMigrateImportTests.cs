namespace ReferralOS.Cli.Tests.Importing;

/// <summary><c>import --from golang-migrate</c>: <c>&lt;n&gt;_&lt;name&gt;.up.sql</c> and <c>.down.sql</c>.</summary>
public sealed class GolangMigrateImportTests : IDisposable
{
    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Golang_migrate_files_go_in_number_order_not_name_order_and_keep_their_number()
    {
        _workspace.Write("10_add_email.up.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n");
        _workspace.Write("10_add_email.down.sql", "ALTER TABLE users DROP COLUMN email;\n");
        _workspace.Write("2_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        _workspace.Write("2_create_users.down.sql", "DROP TABLE users;\n");
        _workspace.Write("0001_create_schema.up.sql", "CREATE SCHEMA IF NOT EXISTS app;\n");
        _workspace.Write("README.md", "how we migrate\n");

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["001_create_schema.sql", "002_create_users.sql", "003_add_email.sql"], _workspace.MigrationFiles);
        Assert.Equal("-- Imported-From: golang-migrate 1", _workspace.Header("001_create_schema.sql")[3]);
        Assert.Equal("-- Imported-From: golang-migrate 10", _workspace.Header("003_add_email.sql")[3]);
        Assert.Contains("skipped README.md: not named <version>_<name>.up.sql or .down.sql; golang-migrate does not run it either", run.OutLines);
    }

    [Fact]
    public async Task Golang_migrate_down_file_is_the_down_and_a_missing_one_leaves_no_down_section()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        _workspace.Write("1_create_users.down.sql", "DROP TABLE IF EXISTS users;\n");
        _workspace.Write("2_seed_admin.up.sql", "INSERT INTO users DEFAULT VALUES;\n");

        await _workspace.ImportAsync("golang-migrate");
        var catalog = await _workspace.CompileAsync();

        Assert.Equal("DROP TABLE IF EXISTS users;", Assert.Single(catalog.Migrations[0].Down!.Statements).Sql);
        Assert.Null(catalog.Migrations[1].Down);
        Assert.DoesNotContain("Down Migration", _workspace.Migration("002_seed_admin.sql"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_golang_migrate_file_that_cannot_run_in_a_transaction_block_gets_transaction_none()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT);\n");
        _workspace.Write("2_index_email.up.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\n");

        await _workspace.ImportAsync("golang-migrate");

        Assert.DoesNotContain("-- Transaction: none", _workspace.Header("001_create_users.sql"));
        Assert.Contains("-- Transaction: none", _workspace.Header("002_index_email.sql"));
    }

    [Fact]
    public async Task Two_golang_migrate_up_files_of_one_version_are_refused()
    {
        _workspace.Write("1_create_users.up.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        _workspace.Write("01_create_accounts.up.sql", "CREATE TABLE accounts (id BIGSERIAL PRIMARY KEY);\n");

        var run = await _workspace.ImportAsync("golang-migrate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.EndsWith("a second up file for version 1: golang-migrate refuses a folder with two", StringComparison.Ordinal));
        Assert.Empty(_workspace.MigrationFiles);
    }
}
