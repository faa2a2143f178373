using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.MSTest;

namespace MyApp.Tests;

// Once per test project: one PostgreSQL server for the whole run.
[TestClass]
public sealed class Postgres
{
    [AssemblyInitialize]
    public static Task StartAsync(TestContext context) => PostgresServer.StartAsync(context);

    [AssemblyCleanup]
    public static Task StopAsync() => PostgresServer.StopAsync();
}

// Every test gets its own database, migrated and seeded, and it is dropped after the test.
[TestClass]
public sealed class TestReferrerTests() : DatabaseTest(ReferralOsSchema.Catalog)
{
    [TestMethod]
    public async Task The_test_referrer_owns_the_seeded_referral_code()
    {
        await using var command = DataSource.CreateCommand("SELECT code FROM referral_codes WHERE user_id = $1");
        command.Parameters.AddWithValue(Seeds.TestReferrer.Id);

        var code = await command.ExecuteScalarAsync(TestContext.CancellationToken);

        Assert.AreEqual(Seeds.TestReferrerCode.Code, code);
    }

    [TestMethod]
    public async Task Renaming_the_test_referrer_changes_this_test_s_database_only()
    {
        await using var rename = DataSource.CreateCommand("UPDATE users SET name = 'Renamed' WHERE id = $1");
        rename.Parameters.AddWithValue(Seeds.TestReferrer.Id);

        var renamed = await rename.ExecuteNonQueryAsync(TestContext.CancellationToken);

        // The other test still sees the seeded name in a database of its own.
        Assert.AreEqual(1, renamed);
    }
}
