using System.Globalization;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Tests;

// Usage: ReferralOS.Sdk.Tests.Migrator <connection string> <gate key>
//   Migrates TestCatalog.Gated(gate), which stops at the gate until the test releases it — or kills this process.
// Usage: ReferralOS.Sdk.Tests.Migrator counting|concurrent-index|chaos <connection string> [lease seconds]
//   Migrates TestCatalog.Counting(), TestCatalog.ConcurrentIndex() or TestCatalog.Chaos() (rebuilding an index an
//   earlier, killed run left INVALID), with the lease duration given; prints "applied N", or "refused <type>: <message>"
//   and exits 9 for a refusal behind a pooler, 10 for a lost lease, 3 for any other typed refusal.
if (args[0] is "counting" or "concurrent-index" or "chaos")
{
    var catalog = args[0] switch { "counting" => TestCatalog.Counting(), "chaos" => TestCatalog.Chaos(), _ => TestCatalog.ConcurrentIndex() };
    var options = new MigrationOptions
    {
        RebuildInvalidIndexes = args[0] == "chaos",
        LeaseDuration = args.Length > 2 ? TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)) : new MigrationOptions().LeaseDuration,
    };
    await using var source = DataSources.Create(args[1]);
    try
    {
        var applied = await SchemaMigrator.MigrateAsync(catalog, source, options);
        Console.WriteLine($"applied {applied.Applied.Count}");
        return 0;
    }
    catch (MigrationException ex)
    {
        Console.WriteLine($"refused {ex.GetType().Name}: {ex.Message}");
        return ex switch { TransactionPoolingException => 9, MigrationLeaseLostException => 10, _ => 3 };
    }
}

await using var dataSource = DataSources.Create(args[0]);
var result = await SchemaMigrator.MigrateAsync(TestCatalog.Gated(long.Parse(args[1], CultureInfo.InvariantCulture)), dataSource);
Console.WriteLine($"applied {result.Applied.Count}");
return 0;
