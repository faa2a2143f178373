using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using ReferralOS.Sdk;
using ReferralOS.Sdk.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a schema's <see cref="SchemaMigrator"/> with Microsoft.Extensions.DependencyInjection.</summary>
public static class SchemaServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="SchemaMigrator"/> for <paramref name="catalog"/> against the container's
    /// <see cref="NpgsqlDataSource"/> (or the one <see cref="SchemaServiceOptions.DataSource"/> picks), logging
    /// through <see cref="ILogger{SchemaMigrator}"/> when logging is registered, and — with
    /// <see cref="SchemaServiceOptions.MigrateOnStart"/> — a hosted service that migrates while the host starts.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddNpgsqlDataSource(connectionString);
    /// builder.Services.AddReferralOsSchema(ReferralOsSchema.Catalog, schema => schema.MigrateOnStart = true);
    /// </code></example>
    /// <param name="services">The service collection.</param>
    /// <param name="catalog">The compiled schema, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="configure">Sets the options; null keeps the defaults (no migration on start).</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddReferralOsSchema(this IServiceCollection services, MigrationCatalog catalog, Action<SchemaServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new SchemaServiceOptions();
        configure?.Invoke(options);
        var migration = options.Migration ?? throw new ArgumentException($"{nameof(SchemaServiceOptions)}.{nameof(SchemaServiceOptions.Migration)} cannot be null.", nameof(configure));
        migration.Validate(); // a bad timeout or history table fails here, where it is configured, not at the first resolve
        var dataSource = options.DataSource;
        services.TryAddSingleton(provider => new SchemaMigrator(
            catalog,
            dataSource?.Invoke(provider) ?? provider.GetRequiredService<NpgsqlDataSource>(),
            migration,
            provider.GetService<ILogger<SchemaMigrator>>()));
        if (options.MigrateOnStart)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SchemaMigrationHostedService>());
        }

        return services;
    }
}
