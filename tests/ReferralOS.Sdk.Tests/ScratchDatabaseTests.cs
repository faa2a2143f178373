using Npgsql;
using ReferralOS.Sdk.Scratch;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// The scratch database drift builds the expected schema in (and explain copies the target into): created on the
/// target's server with the target's credentials, empty or as a copy, and gone afterwards on every path.
/// </summary>
public sealed class ScratchDatabaseTests(PostgresServerFixture postgres)
{
    [Fact(Timeout = 60_000)]
    public async Task Empty_scratch_database_is_connectable_has_no_tables_and_is_dropped_on_dispose()
    {
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(), TestDatabaseOptions.Empty);
        string name;
        await using (var scratch = await ScratchDatabase.CreateEmptyAsync(target.DataSource, "test", TestContext.Current.CancellationToken))
        {
            name = scratch.Name;
            Assert.StartsWith(ScratchDatabase.NamePrefix + "test_", name, StringComparison.Ordinal);
            Assert.Null(scratch.Template);
            Assert.Equal(name, await Sql.ScalarAsync<string>(scratch.DataSource, "SELECT current_database()::text"));
            Assert.Empty(await Sql.TablesAsync(scratch.DataSource));
            Assert.Contains("safe to drop", await Sql.ScalarAsync<string>(scratch.DataSource, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"), StringComparison.Ordinal);
        }

        Assert.False(await ExistsAsync(name));
    }

    [Fact(Timeout = 60_000)]
    public async Task Copy_of_the_target_itself_holds_its_tables_and_rows_while_the_target_stays_usable()
    {
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(), TestDatabaseOptions.Empty);
        await Sql.ExecuteAsync(target.DataSource, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
        string name;
        await using (var scratch = await ScratchDatabase.CreateFromTemplateAsync(target.DataSource, target.Name, "test", TestContext.Current.CancellationToken))
        {
            name = scratch.Name;
            Assert.Equal(target.Name, scratch.Template);
            Assert.Equal(7, await Sql.ScalarAsync<int>(scratch.DataSource, "SELECT id FROM kept"));
            await Sql.ExecuteAsync(scratch.DataSource, "DROP TABLE kept");
        }

        Assert.False(await ExistsAsync(name));
        Assert.Equal(7, await Sql.ScalarAsync<int>(target.DataSource, "SELECT id FROM kept"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Scratch_database_is_dropped_when_the_work_fails_with_a_session_still_open_on_it()
    {
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(), TestDatabaseOptions.Empty);
        string? name = null;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var scratch = await ScratchDatabase.CreateEmptyAsync(target.DataSource, "test", TestContext.Current.CancellationToken);
            name = scratch.Name;
            var held = new NpgsqlConnection(scratch.ConnectionString);
            await held.OpenAsync(TestContext.Current.CancellationToken);
            throw new InvalidOperationException("the work failed");
        });

        Assert.NotNull(name);
        Assert.False(await ExistsAsync(name));
    }

    [Fact(Timeout = 60_000)]
    public async Task Copy_of_a_database_that_does_not_exist_is_a_typed_error_and_leaves_nothing()
    {
        await using var target = await postgres.CreateDatabaseAsync(TestCatalog.Of(), TestDatabaseOptions.Empty);
        var refused = await Assert.ThrowsAsync<ScratchDatabaseException>(() => ScratchDatabase.CreateFromTemplateAsync(target.DataSource, "no_such_database", "missing_template", TestContext.Current.CancellationToken));

        Assert.Contains("no_such_database", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await ScratchDatabasesAsync("missing_template"));
    }

    private async Task<bool> ExistsAsync(string name)
    {
        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        return await Sql.ScalarAsync<bool>(server, $"SELECT EXISTS (SELECT FROM pg_database WHERE datname = '{name}')");
    }

    /// <summary>The scratch databases made for one purpose; each test names its own, since other tests make scratch databases in parallel.</summary>
    private async Task<List<string>> ScratchDatabasesAsync(string purpose)
    {
        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        return await Sql.ListAsync(server, $"SELECT datname::text FROM pg_database WHERE datname LIKE '{ScratchDatabase.NamePrefix}{purpose}%' ORDER BY 1", r => r.GetString(0));
    }
}
