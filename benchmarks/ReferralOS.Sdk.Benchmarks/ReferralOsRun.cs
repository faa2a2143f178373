namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// <c>MigrateAsync</c> of a compiled catalog on a pooled data source, as an application calls it on start. The
/// expected count is given, not read from the catalog: reading it would build the migrations, which the first call
/// in a process must not be charged for.
/// </summary>
internal sealed class ReferralOsRun(MigrationCatalog catalog, int expectedMigrations, string connectionString, MigrationOptions? options = null) : MigrationRun(connectionString)
{
    public override async Task RunAsync()
    {
        var result = await SchemaMigrator.MigrateAsync(catalog, DataSource, options);
        if (result.AlreadyApplied + result.Applied.Count != expectedMigrations)
        {
            throw new InvalidOperationException($"Expected {expectedMigrations} migrations applied, found {result.AlreadyApplied + result.Applied.Count}.");
        }
    }
}
