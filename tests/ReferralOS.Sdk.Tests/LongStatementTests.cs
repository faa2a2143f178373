using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 13.1: a statement is bounded by its file's statement timeout (or the runtime's default), never by Npgsql's
/// 30-second command timeout (and a client that does give up says so: <see cref="ClientTimeoutTests"/>).
/// </summary>
public sealed class LongStatementTests(PostgresServerFixture postgres)
{
    [Fact(Timeout = 120_000)]
    public async Task A_forty_second_statement_under_a_ten_minute_statement_timeout_succeeds()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "CREATE TABLE backfilled AS SELECT 1 AS id FROM pg_sleep(40);", statementTimeout: TimeSpan.FromMinutes(10), name: "slow_backfill"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);

        var result = await SchemaMigrator.MigrateAsync(catalog, database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["001_slow_backfill"], result.Applied.Select(a => a.Version));
        Assert.Contains("backfilled", await Sql.TablesAsync(database.DataSource));
    }
}
