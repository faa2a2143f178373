namespace ReferralOS.Sdk.Benchmarks;

/// <summary><c>MigrateAsync</c> of a compiled catalogue on a pooled data source, as an application calls it on start.</summary>
internal sealed class ReferralOsRun(MigrationCatalog catalog, string connectionString, MigrationOptions? options = null) : MigrationRun(connectionString)
{
    public override async Task RunAsync()
    {
        var result = await catalog.MigrateAsync(DataSource, options);
        if (result.AlreadyApplied + result.Applied.Count != catalog.Migrations.Count)
        {
            throw new InvalidOperationException($"Expected {catalog.Migrations.Count} migrations applied, found {result.AlreadyApplied + result.Applied.Count}.");
        }
    }
}
