using System.Collections.Concurrent;
using Npgsql;
using ReferralOS.Sdk.Local;
using Testcontainers.PostgreSql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// The PostgreSQL server a test run uses, chosen in order: the connection string in
/// <c>REFERRALOS_TEST_DATABASE</c>; a Testcontainers container when a Docker engine answers; else a throwaway
/// cluster from the machine's PostgreSQL binaries. Start it once per run and dispose it at the end: what it
/// started, it stops and deletes.
/// </summary>
public sealed class TestPostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable holding a connection string to a server to test against.</summary>
    public const string ConnectionStringVariable = "REFERRALOS_TEST_DATABASE";

    private readonly IAsyncDisposable? _owned;
    private readonly NpgsqlDataSource _admin;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _templates = new(StringComparer.Ordinal);

    private TestPostgresServer(TestServerSource source, string connectionString, IAsyncDisposable? owned)
    {
        Source = source;
        ConnectionString = connectionString;
        _owned = owned;
        _admin = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Where the server came from.</summary>
    public TestServerSource Source { get; }

    /// <summary>A connection string to the server's maintenance database, as a user that may create databases.</summary>
    public string ConnectionString { get; }

    /// <summary>Finds or starts a server, in the order the class summary gives.</summary>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The server; dispose it when the run ends.</returns>
    public static async Task<TestPostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } connectionString)
        {
            return new TestPostgresServer(TestServerSource.ConnectionString, connectionString, owned: null);
        }

        if (await DockerEngine.AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine")
                .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")
                .Build();
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            return new TestPostgresServer(TestServerSource.Testcontainers, container.GetConnectionString(), container);
        }

        var local = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions
            {
                DataDirectory = Path.Combine(Path.GetTempPath(), "referralos-test-" + Guid.NewGuid().ToString("N")[..12]),
                Ephemeral = true,
            },
            cancellationToken).ConfigureAwait(false);
        return new TestPostgresServer(TestServerSource.LocalBinaries, local.ConnectionString, local);
    }

    /// <summary>
    /// Creates a database of the test's own: cloned from a template that holds the catalogue's migrations (and
    /// seeds), built once per catalogue and server and reused while the catalogue's checksums stay the same.
    /// </summary>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="options">What the database holds; migrated and seeded by default.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    public async Task<TestDatabase> CreateDatabaseAsync(MigrationCatalog catalog, TestDatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= TestDatabaseOptions.Seeded;
        var name = "test_" + Guid.NewGuid().ToString("N")[..24];
        var template = options.Migrate
            ? await _templates.GetOrAdd(TemplateName(catalog, options.Seed), key => new Lazy<Task<string>>(() => BuildTemplateAsync(key, catalog, options.Seed))).Value.ConfigureAwait(false)
            : null;
        await ExecuteAsync(template is null ? $"CREATE DATABASE {Quote(name)}" : $"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(template)}", cancellationToken).ConfigureAwait(false);
        return new TestDatabase(this, name, ConnectionStringFor(name));
    }

    /// <summary>A connection string to another database on this server, with the same credentials.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync().ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", cancellationToken);

    /// <summary>Named by the catalogue's fingerprint: a changed migration or seed gets a new template.</summary>
    private static string TemplateName(MigrationCatalog catalog, bool seeded) =>
        $"referralos_template_{catalog.Fingerprint[..20]}_{(seeded ? "seeded" : "schema")}";

    private async Task<string> BuildTemplateAsync(string template, MigrationCatalog catalog, bool seeded)
    {
        // Parallel test processes against one server build each template once: the lock serialises them, and a
        // template only counts once it is marked IS_TEMPLATE, the last step of a build.
        await using var connection = await _admin.OpenConnectionAsync().ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = template } } })
        {
            await take.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        try
        {
            await using (var state = new NpgsqlCommand("SELECT datistemplate FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = template } } })
            {
                switch (await state.ExecuteScalarAsync().ConfigureAwait(false))
                {
                    case true:
                        return template;
                    case false:
                        await DropDatabaseAsync(template, CancellationToken.None).ConfigureAwait(false);
                        break;
                }
            }

            await ExecuteAsync($"CREATE DATABASE {Quote(template)}", CancellationToken.None).ConfigureAwait(false);

            // No pooling: a template must have no open connections when it is cloned.
            var builder = new NpgsqlConnectionStringBuilder(ConnectionStringFor(template)) { Pooling = false };
            await using (var dataSource = NpgsqlDataSource.Create(builder.ConnectionString))
            {
                var migrator = new SchemaMigrator(catalog, dataSource);
                await migrator.MigrateAsync().ConfigureAwait(false);
                if (seeded)
                {
                    await migrator.SeedAsync(SchemaEnvironment.Test).ConfigureAwait(false);
                }
            }

            await ExecuteAsync($"ALTER DATABASE {Quote(template)} WITH IS_TEMPLATE true", CancellationToken.None).ConfigureAwait(false);
            return template;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = template } } };
            await release.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Quote(string identifier) => new NpgsqlCommandBuilder().QuoteIdentifier(identifier);
}
