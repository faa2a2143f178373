using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Benchmarks;
using ReferralOS.Sdk.Benchmarks.LargeSchema;
using ReferralOS.Sdk.Testing;

// The one command (docs/benchmarks.md, "Runtime"):
//   dotnet run -c Release --project benchmarks/ReferralOS.Sdk.Benchmarks
// starts a local PostgreSQL, runs the up-to-date and fresh-migrate suites, measures the first call in new processes
// (as built, and published ReadyToRun) and the CLI's start against psql's, prints the report (also written to
// BenchmarkDotNet.Artifacts/results/runtime-report.md) and removes the server. Arguments go to BenchmarkDotNet (e.g.
// --filter '*UpToDate*'); the first-call measurement always runs.
const int FirstCallStarts = 10;
if (ManyMigrations.Migrations.Count != 1000)
{
    Console.Error.WriteLine($"The large catalog has {ManyMigrations.Migrations.Count} migrations, not 1,000: run the benchmarks from a Release build (dotnet run -c Release).");
    return 1;
}

var loadBefore = LoadAverage();
try
{
    var upToDate = BenchmarkRunner.Run<UpToDateBenchmarks>(args: args);
    var fresh = BenchmarkRunner.Run<FreshMigrateBenchmarks>(args: args);

    var server = await BenchmarkServer.GetAsync();
    await using var ten = await server.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
    await using var many = await server.CreateDatabaseAsync(ManyMigrations.Catalog, TestDatabaseOptions.SchemaOnly);
    InterleavedResult interleaved;
    InterleavedResult interleavedSelectOne;
    await using (var floor = new HistoryFloor(ten.ConnectionString, ReferralOsSchema.Migrations.Count))
    await using (var selectOne = new SelectOneFloor(ten.ConnectionString))
    await using (var ours = new ReferralOsRun(ReferralOsSchema.Catalog, ReferralOsSchema.Migrations.Count, ten.ConnectionString))
    {
        interleaved = await InterleavedRuns.MeasureAsync("Floor: SELECT version, checksum (10 rows)", floor, "ReferralOS MigrateAsync (10)", ours);
        interleavedSelectOne = await InterleavedRuns.MeasureAsync("Floor: SELECT 1", selectOne, "ReferralOS MigrateAsync (10)", ours);
    }

    InterleavedResult[] interleavedFresh =
    [
        await InterleavedRuns.MeasureFreshAsync(Durability.FsyncOff, "Floor (fsync off)", cs => new RawSqlFloor(ReferralOsSchema.Catalog, cs), "ReferralOS (fsync off)", cs => new ReferralOsRun(ReferralOsSchema.Catalog, ReferralOsSchema.Migrations.Count, cs)),
        await InterleavedRuns.MeasureFreshAsync(Durability.FsyncOn, "Floor (fsync on)", cs => new RawSqlFloor(ReferralOsSchema.Catalog, cs), "ReferralOS (fsync on)", cs => new ReferralOsRun(ReferralOsSchema.Catalog, ReferralOsSchema.Migrations.Count, cs)),
    ];

    var firstCalls = new List<FirstCallResult>();
    using (var jit = FirstCallProgram.AsBuilt())
    {
        firstCalls.Add(await jit.MeasureAsync(Report.ColdCall, ten.ConnectionString, "ten", openFirst: false, FirstCallStarts));
        firstCalls.Add(await jit.MeasureAsync(Report.ColdFloor, ten.ConnectionString, "floor", openFirst: false, FirstCallStarts));
        firstCalls.Add(await jit.MeasureAsync("ReferralOS MigrateAsync (10), connection opened first", ten.ConnectionString, "ten", openFirst: true, FirstCallStarts));
        firstCalls.Add(await jit.MeasureAsync("Floor, connection opened first", ten.ConnectionString, "floor", openFirst: true, FirstCallStarts));
        firstCalls.Add(await jit.MeasureAsync("ReferralOS MigrateAsync (1,000), cold", many.ConnectionString, "many", openFirst: false, FirstCallStarts));
    }

    using (var readyToRun = await FirstCallProgram.PublishReadyToRunAsync())
    {
        firstCalls.Add(await readyToRun.MeasureAsync(Report.ReadyToRunCall, ten.ConnectionString, "ten", openFirst: false, FirstCallStarts));
        firstCalls.Add(await readyToRun.MeasureAsync(Report.ReadyToRunFloor, ten.ConnectionString, "floor", openFirst: false, FirstCallStarts));
        firstCalls.Add(await readyToRun.MeasureAsync("ReadyToRun: ReferralOS MigrateAsync (10), connection opened first", ten.ConnectionString, "ten", openFirst: true, FirstCallStarts));
        firstCalls.Add(await readyToRun.MeasureAsync("ReadyToRun: floor, connection opened first", ten.ConnectionString, "floor", openFirst: true, FirstCallStarts));
    }

    var cliStarts = new List<CliStartResult>();
    foreach (var readyToRun in (bool[])[false, true])
    {
        using var cli = await CliStartRuns.PublishAsync(readyToRun);
        cliStarts.Add(await cli.MeasureAsync(ten.ConnectionString, FirstCallStarts));
    }

    string postgres;
    await using (var command = ten.DataSource.CreateCommand("SELECT 'PostgreSQL ' || current_setting('server_version')"))
    {
        postgres = (string)(await command.ExecuteScalarAsync())!;
    }

    var machine = new Machine(Environment.ProcessorCount, CpuModel(), postgres, RuntimeInformation.FrameworkDescription, loadBefore, LoadAverage());
    var report = Report.Write(upToDate, interleaved, interleavedSelectOne, fresh, interleavedFresh, firstCalls, cliStarts, machine);
    var results = Directory.CreateDirectory(Path.Combine("BenchmarkDotNet.Artifacts", "results")).FullName;
    var path = Path.Combine(results, "runtime-report.md");
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine();
    Console.WriteLine(report);
    Console.WriteLine($"Written to {path}");
    return 0;
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
