using System.Globalization;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Tests;

// Usage: ReferralOS.Sdk.Tests.Migrator <connection string> <gate key>
// Migrates TestCatalog.Gated(gate), which stops at the gate until the test releases it — or kills this process.
await using var dataSource = DataSources.Create(args[0]);
var result = await TestCatalog.Gated(long.Parse(args[1], CultureInfo.InvariantCulture)).MigrateAsync(dataSource);
Console.WriteLine($"applied {result.Applied.Count}");
