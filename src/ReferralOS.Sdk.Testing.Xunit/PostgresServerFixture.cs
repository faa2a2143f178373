using Xunit;

namespace ReferralOS.Sdk.Testing.Xunit;

/// <summary>
/// One PostgreSQL server for the whole test run, for xUnit v3. Register it once per test assembly with
/// <c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c>, then either derive test classes from
/// <see cref="DatabaseTest"/> (each test gets its own database) or take the fixture in a test class's constructor and
/// call <see cref="CreateDatabaseAsync"/>. Safe under xUnit's parallel test collections. The server is chosen as
/// <see cref="TestPostgresServer"/> describes; set <c>REFERRALOS_TEST_DATABASE</c> to use one you have,
/// <c>REFERRALOS_KEEP_FAILED_DATABASES=1</c> to keep a failed test's database, <c>REFERRALOS_TEST_NON_SUPERUSER=1</c>
/// to run the tests as a role that is not a superuser (<see cref="TestPostgresServerOptions"/>). Which server it chose,
/// and why, goes to xUnit's diagnostic messages and to the output of every test that takes a database.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private TestPostgresServer? _server;

    /// <summary>The server; available once the fixture is initialised.</summary>
    public TestPostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialised yet: take it in a test class constructor, and register it with [assembly: AssemblyFixture(typeof(PostgresServerFixture))].");

    /// <summary>
    /// Creates a database of the test's own (see <see cref="TestPostgresServer.CreateDatabaseAsync"/>) and writes
    /// which database and server it is to the test's output.
    /// </summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What the database holds; migrated and seeded by default.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    public async Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, TestDatabaseOptions? options = null)
    {
        var database = await Server.CreateDatabaseAsync(catalog, options, TestContext.Current.CancellationToken).ConfigureAwait(false);
        TestContext.Current.TestOutputHelper?.WriteLine(database.Description);
        return database;
    }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        _server = await TestPostgresServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken).ConfigureAwait(false);
        TestContext.Current.SendDiagnosticMessage(_server.Description);
    }

    /// <summary>Stops and cleans up the server; xUnit calls this when the run ends, whether tests passed or failed.</summary>
    /// <returns>A task that completes when the server is cleaned up.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
