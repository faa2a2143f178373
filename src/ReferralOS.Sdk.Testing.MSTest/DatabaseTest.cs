using Npgsql;

namespace ReferralOS.Sdk.Testing.MSTest;

/// <summary>
/// A base for test classes whose every test gets a database of its own, migrated and (by default) seeded, created
/// before the test and dropped after it (MSTest makes a new object for each test). The test's output names the
/// database and the server; a failed test's database is kept, and its connection string written to the output, when
/// the run keeps them (<see cref="TestPostgresServerOptions.KeepFailedDatabases"/>).
/// <code>
/// [TestClass]
/// public sealed class ReferralTests() : DatabaseTest(ReferralOsSchema.Catalog)
/// {
///     [TestMethod]
///     public async Task Something() { await using var command = DataSource.CreateCommand("…"); … }
/// }
/// </code>
/// </summary>
public abstract class DatabaseTest
{
    private readonly MigrationCatalog _catalog;
    private readonly TestDatabaseOptions _options;
    private TestDatabase? _database;

    /// <summary>Sets up the class's tests to get a database each, on the server of <see cref="PostgresServer"/>.</summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What each database holds; migrated and seeded by default.</param>
    protected DatabaseTest(MigrationCatalog catalog, TestDatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _options = options ?? TestDatabaseOptions.Seeded;
    }

    /// <summary>The running test's context; MSTest sets it.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>This test's database.</summary>
    protected TestDatabase Database => _database ?? throw new InvalidOperationException("The test database exists only while a test runs: use it from a test method, not from the constructor.");

    /// <summary>A data source for this test's database.</summary>
    protected NpgsqlDataSource DataSource => Database.DataSource;

    /// <summary>Creates this test's database; MSTest calls it before the test.</summary>
    /// <returns>A task that completes when the database is ready.</returns>
    [TestInitialize]
    public async Task CreateDatabaseAsync()
    {
        _database = await PostgresServer.Server.CreateDatabaseAsync(_catalog, _options, TestContext.CancellationToken).ConfigureAwait(false);
        TestContext.WriteLine(_database.Description);
    }

    /// <summary>Drops this test's database, or keeps it when the test failed and the run keeps them; MSTest calls it after the test.</summary>
    /// <returns>A task that completes when the database is dropped or kept.</returns>
    [TestCleanup]
    public async Task DropDatabaseAsync()
    {
        if (_database is not null)
        {
            var failed = TestContext.CurrentTestOutcome is UnitTestOutcome.Failed or UnitTestOutcome.Error or UnitTestOutcome.Timeout or UnitTestOutcome.Aborted;
            if (await _database.FinishAsync(failed).ConfigureAwait(false) is { } kept)
            {
                TestContext.WriteLine(kept);
            }

            _database = null;
        }
    }
}
