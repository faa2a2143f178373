using Npgsql;
using Xunit;

namespace ReferralOS.Sdk.Testing.Xunit;

/// <summary>
/// A base for test classes whose every test gets a database of its own, migrated and (by default) seeded, created
/// before the test and dropped after it. xUnit makes a new instance of the class for each test, so tests never see
/// each other's writes, in parallel or not. Each test's output names its database and server; a failed test's
/// database is kept, and its connection string written to the output, when the run keeps them
/// (<see cref="TestPostgresServerOptions.KeepFailedDatabases"/>):
/// <code>
/// public sealed class ReferralTests(PostgresServerFixture postgres) : DatabaseTest(postgres, ReferralOsSchema.Catalog)
/// {
///     [Fact]
///     public async Task Something() { await using var command = DataSource.CreateCommand("…"); … }
/// }
/// </code>
/// </summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    private readonly PostgresServerFixture _postgres;
    private readonly MigrationCatalog _catalog;
    private readonly TestDatabaseOptions _options;
    private TestDatabase? _database;

    /// <summary>Sets up the class's tests to get a database each.</summary>
    /// <param name="postgres">The run's server, registered with <c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c>.</param>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What each database holds; migrated and seeded by default.</param>
    protected DatabaseTest(PostgresServerFixture postgres, MigrationCatalog catalog, TestDatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(catalog);
        _postgres = postgres;
        _catalog = catalog;
        _options = options ?? TestDatabaseOptions.Seeded;
    }

    /// <summary>This test's database.</summary>
    protected TestDatabase Database => _database ?? throw new InvalidOperationException("The test database exists only while a test runs: use it from a test method, not from the constructor.");

    /// <summary>A data source for this test's database.</summary>
    protected NpgsqlDataSource DataSource => Database.DataSource;

    /// <summary>Creates this test's database; xUnit calls it before the test.</summary>
    /// <returns>A task that completes when the database is ready.</returns>
    public virtual async ValueTask InitializeAsync() =>
        _database = await _postgres.CreateDatabaseAsync(_catalog, _options).ConfigureAwait(false);

    /// <summary>
    /// Drops this test's database, or keeps it when the test failed and the run keeps failed tests' databases; xUnit
    /// calls it after the test, whether it passed or failed.
    /// </summary>
    /// <returns>A task that completes when the database is dropped or kept.</returns>
    public virtual async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
            if (await _database.FinishAsync(failed).ConfigureAwait(false) is { } kept)
            {
                TestContext.Current.TestOutputHelper?.WriteLine(kept);
            }
        }

        GC.SuppressFinalize(this);
    }
}
