using NUnit.Framework;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.NUnit;

namespace MyApp.Tests;

// Once per test project, in the namespace that holds the tests: one PostgreSQL server for the whole run.
[SetUpFixture]
public sealed class Postgres : PostgresSetUpFixture;

// Every test gets its own database, migrated and seeded, and it is dropped after the test.
public sealed class TestReferrerTests() : DatabaseTest(ReferralOsSchema.Catalog)
{
    [Test]
    public async Task The_test_referrer_owns_the_seeded_referral_code()
    {
        await using var command = DataSource.CreateCommand("SELECT code FROM referral_codes WHERE user_id = $1");
        command.Parameters.AddWithValue(Seeds.TestReferrer.Id);

        var code = await command.ExecuteScalarAsync(TestContext.CurrentContext.CancellationToken);

        Assert.That(code, Is.EqualTo(Seeds.TestReferrerCode.Code));
    }

    [Test]
    public async Task Renaming_the_test_referrer_changes_this_test_s_database_only()
    {
        await using var rename = DataSource.CreateCommand("UPDATE users SET name = 'Renamed' WHERE id = $1");
        rename.Parameters.AddWithValue(Seeds.TestReferrer.Id);

        var renamed = await rename.ExecuteNonQueryAsync(TestContext.CurrentContext.CancellationToken);

        // The other test, in parallel or not, still sees the seeded name in a database of its own.
        Assert.That(renamed, Is.EqualTo(1));
    }
}
