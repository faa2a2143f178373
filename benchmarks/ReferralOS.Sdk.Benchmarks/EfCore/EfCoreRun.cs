using Microsoft.EntityFrameworkCore;

namespace ReferralOS.Sdk.Benchmarks.EfCore;

/// <summary>EF Core 10's <c>Database.MigrateAsync</c> on a new context over a pooled data source, as an application calls it on start.</summary>
internal sealed class EfCoreRun : MigrationRun
{
    private readonly DbContextOptions<EfBenchmarkContext> _options;

    public EfCoreRun(string connectionString)
        : base(connectionString)
    {
        _options = new DbContextOptionsBuilder<EfBenchmarkContext>().UseNpgsql(DataSource).Options;
    }

    public override async Task RunAsync()
    {
        await using var context = new EfBenchmarkContext(_options);
        await context.Database.MigrateAsync();
    }
}
