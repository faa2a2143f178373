using EvolveDb.Dialect;

namespace ReferralOS.Sdk.Benchmarks.Evolve;

/// <summary>
/// Evolve 3.2's <c>Migrate</c> with its defaults (cluster mode, so an advisory lock; validation of every applied
/// file's checksum) on a connection taken from a pooled data source. Evolve's API is synchronous.
/// </summary>
internal sealed class EvolveRun(string connectionString, string scriptsDirectory) : MigrationRun(connectionString)
{
    public override async Task RunAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var evolve = new EvolveDb.Evolve(connection, static _ => { }, DBMS.PostgreSQL)
        {
            Locations = [scriptsDirectory],
            IsEraseDisabled = true,
        };
        evolve.Migrate();
    }
}
