using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

// Once per test project: one PostgreSQL server for the whole run.
[assembly: AssemblyFixture(typeof(PostgresServerFixture))]

namespace MyApp.Tests;

// Every test gets its own database, migrated and seeded, and it is dropped after the test.
public sealed class TestReferrerTests(PostgresServerFixture postgres) : DatabaseTest(postgres, ReferralOsSchema.Catalog)
{
    [Fact]
    public async Task The_test_referrer_owns_the_seeded_referral_code()
    {
        await using var command = DataSource.CreateCommand("SELECT code FROM referral_codes WHERE user_id = $1");
        command.Parameters.AddWithValue(Seeds.TestReferrer.Id);

        var code = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Seeds.TestReferrerCode.Code, code);
    }

    [Fact]
    public async Task Renaming_the_test_referrer_changes_this_test_s_database_only()
    {
        await using var rename = DataSource.CreateCommand("UPDATE users SET name = 'Renamed' WHERE id = $1");
        rename.Parameters.AddWithValue(Seeds.TestReferrer.Id);

        var renamed = await rename.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        // The other test, in parallel or not, still sees the seeded name in a database of its own.
        Assert.Equal(1, renamed);
    }
}
