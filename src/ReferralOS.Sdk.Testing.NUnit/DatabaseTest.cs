using Npgsql;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace ReferralOS.Sdk.Testing.NUnit;

/// <summary>
/// A base for test fixtures whose every test gets a database of its own, migrated and (by default) seeded, created
/// before the test and dropped after it; one fixture object per test, so tests in parallel never share one. The
/// test's output names the database and the server; a failed test's database is kept, and its connection string
/// written to the output, when the run keeps them (<see cref="TestPostgresServerOptions.KeepFailedDatabases"/>).
/// <code>
/// public sealed class ReferralTests() : DatabaseTest(ReferralOsSchema.Catalog)
/// {
///     [Test]
///     public async Task Something() { await using var command = DataSource.CreateCommand("…"); … }
/// }
/// </code>
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public abstract class DatabaseTest
{
    private readonly MigrationCatalog _catalog;
    private readonly TestDatabaseOptions _options;
    private TestDatabase? _database;

    /// <summary>Sets up the fixture's tests to get a database each, on the server of <see cref="PostgresSetUpFixture"/>.</summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What each database holds; migrated and seeded by default.</param>
    protected DatabaseTest(MigrationCatalog catalog, TestDatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _options = options ?? TestDatabaseOptions.Seeded;
    }

    /// <summary>This test's database.</summary>
    protected TestDatabase Database => _database ?? throw new InvalidOperationException("The test database exists only while a test runs: use it from a test method, not from the constructor.");

    /// <summary>A data source for this test's database.</summary>
    protected NpgsqlDataSource DataSource => Database.DataSource;

    /// <summary>Creates this test's database; NUnit calls it before the test.</summary>
    /// <returns>A task that completes when the database is ready.</returns>
    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await PostgresSetUpFixture.Server.CreateDatabaseAsync(_catalog, _options, TestContext.CurrentContext.CancellationToken).ConfigureAwait(false);
        await TestContext.Out.WriteLineAsync(_database.Description).ConfigureAwait(false);
    }

    /// <summary>Drops this test's database, or keeps it when the test failed and the run keeps them; NUnit calls it after the test.</summary>
    /// <returns>A task that completes when the database is dropped or kept.</returns>
    [TearDown]
    public async Task DropDatabaseAsync()
    {
        if (_database is not null)
        {
            var failed = TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed;
            if (await _database.FinishAsync(failed).ConfigureAwait(false) is { } kept)
            {
                await TestContext.Out.WriteLineAsync(kept).ConfigureAwait(false);
            }

            _database = null;
        }
    }
}
