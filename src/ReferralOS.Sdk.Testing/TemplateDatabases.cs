using System.Collections.Concurrent;
using Npgsql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// The template databases of one server: one holding a catalog's migrations, one holding its migrations and test
/// seeds. Each is named by the catalog's fingerprint, so a changed migration or seed gets a new template while an
/// unchanged one is reused by every later run on the same server, and each is built at most once per server even
/// when several test processes ask at the same moment.
/// </summary>
internal sealed class TemplateDatabases(NpgsqlDataSource admin, string serverDescription)
{
    /// <summary>Every template's name starts with this, then the catalog's fingerprint.</summary>
    public const string NamePrefix = "referralos_template_";

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _built = new(StringComparer.Ordinal);

    /// <summary>The name of the template for a catalog: <c>referralos_template_&lt;fingerprint&gt;_schema|seeded</c>.</summary>
    public static string NameOf(MigrationCatalog catalog, bool seeded) =>
        $"{NamePrefix}{catalog.Fingerprint[..20]}_{(seeded ? "seeded" : "schema")}";

    /// <summary>The template's name, once it exists on the server and is complete.</summary>
    public Task<string> GetAsync(MigrationCatalog catalog, bool seeded, CancellationToken cancellationToken) =>
        // One build for every caller in this process. The build itself is not cancelled with one caller's token:
        // other tests wait for the same template.
        _built.GetOrAdd(NameOf(catalog, seeded), name => new Lazy<Task<string>>(() => BuildAsync(name, catalog, seeded)))
            .Value.WaitAsync(cancellationToken);

    private async Task<string> BuildAsync(string name, MigrationCatalog catalog, bool seeded)
    {
        // The seeded template starts as a copy of the schema template: the migrations run once per catalog.
        var source = seeded ? await GetAsync(catalog, seeded: false, CancellationToken.None).ConfigureAwait(false) : null;

        // Test processes sharing a server take turns on each template; a template counts as built only once it is
        // marked IS_TEMPLATE, the last step, so a build cut short by a killed process is dropped and done again.
        await using var connection = await admin.OpenConnectionAsync().ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtextextended($1, 0))", name).ConfigureAwait(false);
        try
        {
            await using (var state = new NpgsqlCommand("SELECT datistemplate FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = name } } })
            {
                switch (await state.ExecuteScalarAsync().ConfigureAwait(false))
                {
                    case true:
                        return name;
                    case false:
                        await ExecuteAsync(connection, $"DROP DATABASE {SqlIdentifier.Quote(name)} WITH (FORCE)").ConfigureAwait(false);
                        break;
                }
            }

            await ExecuteAsync(connection, source is null ? $"CREATE DATABASE {SqlIdentifier.Quote(name)}" : $"CREATE DATABASE {SqlIdentifier.Quote(name)} TEMPLATE {SqlIdentifier.Quote(source)}").ConfigureAwait(false);
            await FillAsync(name, catalog, seeded).ConfigureAwait(false);

            // No connections from now on: a template cannot be copied while anyone is connected to it.
            await ExecuteAsync(connection, $"ALTER DATABASE {SqlIdentifier.Quote(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").ConfigureAwait(false);
            return name;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", name).ConfigureAwait(false);
        }
    }

    private async Task FillAsync(string name, MigrationCatalog catalog, bool seeded)
    {
        // Unpooled, so that no idle connection is left holding the template open once this is done.
        var builder = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = false };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var migrator = new SchemaMigrator(catalog, dataSource);
        try
        {
            if (seeded)
            {
                await migrator.SeedAsync(DatabaseEnvironment.Test).ConfigureAwait(false);
            }
            else
            {
                await migrator.MigrateAsync().ConfigureAwait(false);
            }
        }
        catch (MigrationException ex)
        {
            var what = seeded ? $"the test seeds of catalog {catalog.Fingerprint[..20]}" : $"the {catalog.Migrations.Count} migrations of catalog {catalog.Fingerprint[..20]}";
            throw new TestPostgresException(
                $"Could not build template database '{name}' on {serverDescription}: applying {what} failed. {ex.Message} Fix the file it names and run the tests again; the template is rebuilt.",
                ex);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string? parameter = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
