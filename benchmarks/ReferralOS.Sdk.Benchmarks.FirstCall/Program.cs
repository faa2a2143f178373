using System.Diagnostics;
using System.Globalization;
using ReferralOS.Schema;
using ReferralOS.Sdk.Benchmarks;
using ReferralOS.Sdk.Benchmarks.LargeSchema;

// ReferralOS.Sdk.Benchmarks.FirstCall <connection string> <ten|many|floor> [--open-first]
// Prints the milliseconds of the first connection (0 unless --open-first) and of the call: MigrateAsync of the ten or
// the many (1,000 in Release) migrations, or — the floor — the application's own first query, SELECT version, checksum
// FROM schema_migrations. Measured inside this process, which has done nothing before but create the data source.
// The database is up to date: the benchmarks made it so.
if (args.Length < 2 || args[1] is not ("ten" or "many" or "floor"))
{
    Console.Error.WriteLine("usage: ReferralOS.Sdk.Benchmarks.FirstCall <connection string> <ten|many|floor> [--open-first]");
    return 2;
}

// The counts are given, not read from the catalogs: reading one would build its migrations, a cost neither the
// first call nor the floor's process may be charged for.
await using MigrationRun run = args[1] switch
{
    "ten" => new ReferralOsRun(ReferralOsSchema.Catalog, expectedMigrations: 10, args[0]),
    "many" => new ReferralOsRun(ManyMigrations.Catalog, expectedMigrations: 1000, args[0]),
    _ => new HistoryFloor(args[0], expectedRows: 10),
};
var openFirst = args.Contains("--open-first");
var opened = Stopwatch.GetTimestamp();
if (openFirst)
{
    // An application that touched the database before migrating (a health check, say) has paid for the first
    // physical connection already; this separates that cost from the call's own.
    await run.WarmAsync();
}

var openMs = openFirst ? Stopwatch.GetElapsedTime(opened).TotalMilliseconds : 0;
var started = Stopwatch.GetTimestamp();
await run.RunAsync();
var callMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{openMs:0.000} {callMs:0.000}"));
return 0;
