using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Benchmarks;
using ReferralOS.Sdk.Benchmarks.LargeSchema;

// The one command (docs/benchmarks.md, "Runtime"):
//   dotnet run -c Release --project benchmarks/ReferralOS.Sdk.Benchmarks
// starts a local PostgreSQL, runs the up-to-date and fresh-migrate suites, starts the first-call program 5 × 11
// times, prints the report (also written to BenchmarkDotNet.Artifacts/results/runtime-report.md) and removes the
// server. Arguments go to BenchmarkDotNet (e.g. --filter '*UpToDate*'); the first-call runs always happen.
const int FirstCallStarts = 10;
var loadBefore = LoadAverage();
try
{
    var upToDate = BenchmarkRunner.Run<UpToDateBenchmarks>(args: args);
    var fresh = BenchmarkRunner.Run<FreshMigrateBenchmarks>(args: args);

    var server = await BenchmarkServer.GetAsync();
    await using var ten = await server.CreateDatabaseAsync(ReferralOsSchema.Catalog, ReferralOS.Sdk.Testing.TestDatabaseOptions.SchemaOnly);
    await using var thousand = await server.CreateDatabaseAsync(ThousandMigrations.Catalog, ReferralOS.Sdk.Testing.TestDatabaseOptions.SchemaOnly);
    FirstCallResult[] firstCalls =
    [
        await FirstCallRuns.MeasureAsync("ReferralOS MigrateAsync (10), cold", ten.ConnectionString, "ten", openFirst: false, FirstCallStarts),
        await FirstCallRuns.MeasureAsync("Floor: SELECT version, checksum as the first query, cold", ten.ConnectionString, "floor", openFirst: false, FirstCallStarts),
        await FirstCallRuns.MeasureAsync("ReferralOS MigrateAsync (10), connection opened first", ten.ConnectionString, "ten", openFirst: true, FirstCallStarts),
        await FirstCallRuns.MeasureAsync("Floor, connection opened first", ten.ConnectionString, "floor", openFirst: true, FirstCallStarts),
        await FirstCallRuns.MeasureAsync("ReferralOS MigrateAsync (1,000), cold", thousand.ConnectionString, "thousand", openFirst: false, FirstCallStarts),
    ];

    string postgres;
    await using (var command = ten.DataSource.CreateCommand("SELECT 'PostgreSQL ' || current_setting('server_version')"))
    {
        postgres = (string)(await command.ExecuteScalarAsync())!;
    }

    var machine = new Machine(Environment.ProcessorCount, CpuModel(), postgres, RuntimeInformation.FrameworkDescription, loadBefore, LoadAverage());
    var report = Report.Write(upToDate, fresh, firstCalls, machine);
    var path = Path.Combine(upToDate.ResultsDirectoryPath, "runtime-report.md");
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine();
    Console.WriteLine(report);
    Console.WriteLine($"Written to {path}");
}
finally
{
    await BenchmarkServer.StopAsync();
    NpgsqlConnection.ClearAllPools();
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
        : RuntimeInformation.ProcessArchitecture.ToString();
