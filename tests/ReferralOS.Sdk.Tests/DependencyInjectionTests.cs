using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>Issue 5.8: <c>services.AddReferralOsSchema(...)</c>, logging through ILogger, and migrating on host start.</summary>
public sealed class DependencyInjectionTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Host_migrates_on_start_through_the_containers_data_source_and_logs_one_line_per_migration()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var logs = new LogCapture();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        builder.Services.AddReferralOsSchema(ReferralOsSchema.Catalog, schema => schema.MigrateOnStart = true);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ReferralOsSchema.Migrations.Select(m => (m.Version, m.Checksum)), await Sql.HistoryAsync(database.DataSource));
        var applied = logs.Lines.Where(l => l.Category == typeof(SchemaMigrator).FullName && l.Message.StartsWith("Applied migration ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(ReferralOsSchema.Migrations.Count, applied.Length);
        Assert.All(applied.Zip(ReferralOsSchema.Migrations), pair => Assert.Matches($"^Applied migration {pair.Second.Version} in [0-9]+\\.[0-9] ms$", pair.First.Message));
        Assert.All(applied, l => Assert.Equal(LogLevel.Information, l.Level));
    }

    [Fact]
    public async Task Host_fails_to_start_when_a_migration_fails()
    {
        var catalog = TestCatalog.Of(TestCatalog.Migration(1, "SELECT 1 / 0;", name: "divide"));
        await using var database = await postgres.CreateDatabaseAsync(catalog, TestDatabaseOptions.Empty);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        builder.Services.AddReferralOsSchema(catalog, schema => schema.MigrateOnStart = true);
        using var host = builder.Build();

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(("001_divide", "22012"), (failed.Version, failed.SqlState));
        Assert.Empty(await Sql.HistoryAsync(database.DataSource));
    }

    [Fact]
    public async Task AddReferralOsSchema_registers_one_migrator_with_the_configured_options_and_no_hosted_service_by_default()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await using var provider = new ServiceCollection()
            .AddSingleton(database.DataSource)
            .AddReferralOsSchema(ReferralOsSchema.Catalog, schema => schema.Migration = new MigrationOptions { Environment = DatabaseEnvironment.Production })
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var migrator = provider.GetRequiredService<SchemaMigrator>();
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Same(migrator, provider.GetRequiredService<SchemaMigrator>());
        Assert.Empty(provider.GetServices<IHostedService>());
        Assert.True((await migrator.StatusAsync(TestContext.Current.CancellationToken)).IsProduction);
    }

    [Fact]
    public async Task AddReferralOsSchema_can_pick_a_data_source_other_than_the_containers()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await using var owner = NpgsqlDataSource.Create(database.ConnectionString);
        await using var provider = new ServiceCollection()
            .AddReferralOsSchema(ReferralOsSchema.Catalog, schema => schema.DataSource = _ => owner)
            .BuildServiceProvider();

        var result = await provider.GetRequiredService<SchemaMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ReferralOsSchema.Migrations.Count, result.Applied.Count);
    }

    [Fact]
    public async Task Host_migrates_on_start_into_the_history_table_its_options_name()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        builder.Services.AddReferralOsSchema(ReferralOsSchema.Catalog, schema =>
        {
            schema.MigrateOnStart = true;
            schema.Migration = schema.Migration with { HistoryTable = "ops.referralos_history" };
        });
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ReferralOsSchema.Migrations.Count, await Sql.ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM ops.referralos_history"));
        Assert.True(await Sql.ScalarAsync<bool>(database.DataSource, "SELECT to_regclass('schema_migrations') IS NULL"));
    }

    [Fact]
    public void AddReferralOsSchema_refuses_a_history_table_that_is_not_name_or_schema_name_where_it_is_configured()
    {
        var services = new ServiceCollection();

        var refused = Assert.Throws<ArgumentException>(() => services.AddReferralOsSchema(
            ReferralOsSchema.Catalog,
            schema => schema.Migration = schema.Migration with { HistoryTable = "a.b.c" }));

        Assert.StartsWith("MigrationOptions.HistoryTable is 'a.b.c', which is not a history table name: write name or schema.name", refused.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    private sealed record LogLine(string Category, LogLevel Level, string Message);

    /// <summary>Keeps every log line a host writes, as text.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogLine> _lines = new();

        public IReadOnlyList<LogLine> Lines => _lines.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception)));
        }
    }
}
