using BenchmarkDotNet.Attributes;
using Npgsql;
using ReferralOS.Schema;

namespace ReferralOS.Sdk.Testing.Benchmarks;

/// <summary>
/// Issue 17.5: what it costs to explain one ReferralOS file on a copy of the testing kit's template (the kit's template
/// of the migrations before it, so the file is pending there), without synthetic rows — the copy, the trace and the
/// drop included. The baseline does the least the same answer needs without a trace: copy the template, apply the file
/// with MigrateAsync, drop the copy.
/// </summary>
[Config(typeof(KitConfig))]
public class ExplainBenchmarks
{
    private TestPostgresServer _server = null!;
    private NpgsqlDataSource _admin = null!;
    private readonly Dictionary<string, (TestDatabase Target, string Template, MigrationCatalog UpToFile)> _before = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The file explained: the audit log table (one transaction, a table, its key, a foreign key) or the ten concurrent indexes (Transaction: none).</summary>
    [Params("009_create_audit_logs", "010_create_indexes")]
    public string File { get; set; } = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _server = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries });
        _admin = NpgsqlDataSource.Create(_server.ConnectionString);
        foreach (var version in new[] { "009_create_audit_logs", "010_create_indexes" })
        {
            var number = ReferralOsSchema.Catalog.Find(version)!.Number;
            var before = new MigrationCatalog(ReferralOsSchema.Migrations.Where(m => m.Number < number).ToArray(), []);
            var target = await _server.CreateDatabaseAsync(before, TestDatabaseOptions.SchemaOnly);
            _before[version] = (target, target.Template!, new MigrationCatalog(ReferralOsSchema.Migrations.Where(m => m.Number <= number).ToArray(), []));
        }
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        foreach (var (target, _, _) in _before.Values)
        {
            await target.DisposeAsync();
        }

        await _admin.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Copy the kit's template, migrate the file, drop the copy")]
    public async Task<int> CopyAndMigrate()
    {
        var (_, template, upToFile) = _before[File];
        var name = $"bench_explain_{++_count}";
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {name} TEMPLATE {template}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var copy = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name, Pooling = false }.ConnectionString))
        {
            var result = await SchemaMigrator.MigrateAsync(upToFile, copy);
            await using var drop = _admin.CreateCommand($"DROP DATABASE {name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
            return result.Applied.Count;
        }
    }

    [Benchmark(Description = "referralos-db explain --only <file> on a copy of the kit's template")]
    public async Task<int> Explain()
    {
        var (target, template, _) = _before[File];
        var report = await new SchemaMigrator(ReferralOsSchema.Catalog, target.DataSource).ExplainAsync(new ExplainOptions { Template = template, Only = File });
        return report.Migrations[0].Statements.Count;
    }
}
