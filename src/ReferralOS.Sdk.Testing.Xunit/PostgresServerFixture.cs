using Xunit;

namespace ReferralOS.Sdk.Testing.Xunit;

/// <summary>
/// One PostgreSQL server for the whole test run, for xUnit v3. Register it once per test assembly with
/// <c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c>, then either derive test classes from
/// <see cref="DatabaseTest"/> (each test gets its own database) or take the fixture in a test class's constructor and
/// call <see cref="CreateDatabaseAsync"/>. Safe under xUnit's parallel test collections. The server is chosen as
/// <see cref="TestPostgresServer"/> describes; set <c>REFERRALOS_TEST_DATABASE</c> to use one you have.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private TestPostgresServer? _server;

    /// <summary>The server; available once the fixture is initialised.</summary>
    public TestPostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialised yet: take it in a test class constructor, and register it with [assembly: AssemblyFixture(typeof(PostgresServerFixture))].");

    /// <summary>Creates a database of the test's own; see <see cref="TestPostgresServer.CreateDatabaseAsync"/>.</summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What the database holds; migrated and seeded by default.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    public Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, TestDatabaseOptions? options = null) =>
        Server.CreateDatabaseAsync(catalog, options, TestContext.Current.CancellationToken);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync() =>
        _server = await TestPostgresServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken).ConfigureAwait(false);

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
