using Xunit;

namespace ReferralOS.Sdk.Testing.Xunit;

/// <summary>
/// One PostgreSQL server for the whole test run, for xUnit v3. Register it once per test assembly with
/// <c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c> and take it in a test class's constructor;
/// every test then creates its own database with <see cref="CreateDatabaseAsync"/>. Safe under parallel collections.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private TestPostgresServer? _server;

    /// <summary>The server; available once the fixture is initialised.</summary>
    public TestPostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialised yet.");

    /// <summary>Creates a database of the test's own; see <see cref="TestPostgresServer.CreateDatabaseAsync"/>.</summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What the database holds; migrated and seeded by default.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    public Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, TestDatabaseOptions? options = null) =>
        Server.CreateDatabaseAsync(catalog, options, TestContext.Current.CancellationToken);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync() => _server = await TestPostgresServer.StartAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
