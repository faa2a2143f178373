namespace ReferralOS.Cli.Tests.Importing;

/// <summary><c>import --from dbmate</c>: one file with <c>-- migrate:up</c> and <c>-- migrate:down</c> blocks.</summary>
public sealed class DbmateImportTests : IDisposable
{
    private const string CreateUsers = "-- migrate:up\ncreate table users (\n  id integer,\n  name varchar(255)\n);\n\n-- migrate:down\ndrop table users;\n";

    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Dbmate_up_block_is_copied_byte_for_byte_and_the_down_block_is_the_down()
    {
        _workspace.Write("20151129054053_create_users.sql", CreateUsers);
        _workspace.Write("20160101120000_create_posts.sql", "-- migrate:up\ncreate table posts (id integer);\n-- migrate:down\ndrop table posts;\n");

        var run = await _workspace.ImportAsync("dbmate");
        var catalog = await _workspace.CompileAsync();

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["001_create_users.sql", "002_create_posts.sql"], _workspace.MigrationFiles);
        Assert.Equal(
            ["-- Migration: 001_create_users", "-- Description: Create users", "-- Created: 2015-11-29T05:40:53Z", "-- Imported-From: dbmate 20151129054053"],
            _workspace.Header("001_create_users.sql"));
        var up = "create table users (\n  id integer,\n  name varchar(255)\n);\n\n"u8.ToArray();
        Assert.Equal(up, _workspace.UpBytes("001_create_users.sql", up.Length));
        Assert.Equal("drop table users;", Assert.Single(catalog.Migrations[0].Down!.Statements).Sql);
    }

    [Fact]
    public async Task Dbmate_transaction_false_on_the_up_marker_gives_transaction_none()
    {
        _workspace.Write("20151129054053_create_users.sql", CreateUsers);
        _workspace.Write("20160101120000_index_name.sql", "-- migrate:up transaction:false\ncreate index concurrently users_name on users (name);\n\n-- migrate:down\ndrop index users_name;\n");

        await _workspace.ImportAsync("dbmate");

        Assert.Equal([false, true], _workspace.MigrationFiles.Select(f => _workspace.Header(f).Contains("-- Transaction: none")));
    }

    [Fact]
    public async Task Sql_before_the_dbmate_up_marker_is_refused_on_its_line()
    {
        _workspace.Write("20151129054053_create_users.sql", "-- a comment is fine\ncreate schema app;\n" + CreateUsers);

        var run = await _workspace.ImportAsync("dbmate");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("20151129054053_create_users.sql(2): SQL before '-- migrate:up': dbmate runs only what its blocks hold; move it into the up block", run.OutLines);
    }
}
