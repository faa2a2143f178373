using System.Globalization;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Tests;

// Usage: ReferralOS.Sdk.Tests.Migrator <connection string> <gate key>
//   Migrates TestCatalog.Gated(gate), which stops at the gate until the test releases it — or kills this process.
// Usage: ReferralOS.Sdk.Tests.Migrator counting|concurrent-index <connection string>
//   Migrates TestCatalog.Counting() or TestCatalog.ConcurrentIndex(); prints "applied N", or "refused <type>: <message>"
//   and exits 9 for a refusal behind a transaction pooler, 3 for any other typed refusal.
if (args[0] is "counting" or "concurrent-index")
{
    var catalog = args[0] == "counting" ? TestCatalog.Counting() : TestCatalog.ConcurrentIndex();
    await using var source = DataSources.Create(args[1]);
    try
    {
        var applied = await SchemaMigrator.MigrateAsync(catalog, source);
        Console.WriteLine($"applied {applied.Applied.Count}");
        return 0;
    }
    catch (MigrationException ex)
    {
        Console.WriteLine($"refused {ex.GetType().Name}: {ex.Message}");
        return ex is TransactionPoolingException ? 9 : 3;
    }
}

await using var dataSource = DataSources.Create(args[0]);
var result = await SchemaMigrator.MigrateAsync(TestCatalog.Gated(long.Parse(args[1], CultureInfo.InvariantCulture)), dataSource);
Console.WriteLine($"applied {result.Applied.Count}");
return 0;
