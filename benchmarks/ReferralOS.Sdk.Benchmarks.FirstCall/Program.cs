using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Benchmarks.LargeSchema;

// ReferralOS.Sdk.Benchmarks.FirstCall <connection string> <ten|many|floor> [--open-first]
// Prints the milliseconds of the first connection (0 unless --open-first) and of the call: MigrateAsync of the ten or
// the many (1,000 in Release) migrations, or — the floor — the application's own first query, SELECT version, checksum FROM
// schema_migrations. Measured inside this process, which has done nothing before but create the data source.
if (args.Length < 2 || args[1] is not ("ten" or "many" or "floor"))
{
    Console.Error.WriteLine("usage: ReferralOS.Sdk.Benchmarks.FirstCall <connection string> <ten|many|floor> [--open-first]");
    return 2;
}

await using var dataSource = NpgsqlDataSource.Create(args[0]);
var openFirst = args.Contains("--open-first");
var opened = Stopwatch.GetTimestamp();
if (openFirst)
{
    // An application that touched the database before migrating (a health check, say) has paid for the first
    // physical connection already; this separates that cost from the call's own.
    await using var connection = await dataSource.OpenConnectionAsync();
}

var openMs = openFirst ? Stopwatch.GetElapsedTime(opened).TotalMilliseconds : 0;
var started = Stopwatch.GetTimestamp();
var upToDate = args[1] switch
{
    "ten" => (await ReferralOsSchema.MigrateAsync(dataSource)).WasUpToDate,
    "many" => (await ManyMigrations.MigrateAsync(dataSource)).WasUpToDate,
    _ => await ReadHistoryAsync(dataSource) > 0,
};
var callMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
if (!upToDate)
{
    Console.Error.WriteLine("The database was not up to date: the first call is measured on an up-to-date database.");
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{openMs:0.000} {callMs:0.000}"));
return 0;

static async Task<int> ReadHistoryAsync(NpgsqlDataSource dataSource)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
    await using var reader = await command.ExecuteReaderAsync();
    var rows = 0;
    while (await reader.ReadAsync())
    {
        _ = reader.GetString(0);
        _ = reader.GetString(1);
        rows++;
    }

    return rows;
}
