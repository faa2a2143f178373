using BenchmarkDotNet.Running;
using ReferralOS.Sdk.Benchmarks.Fleet;

// docs/benchmarks.md, "A fleet of databases":
//   dotnet run -c Release --project benchmarks/ReferralOS.Sdk.Benchmarks.Fleet
// starts a throwaway PostgreSQL from the machine's binaries, measures a fleet migrate and a fleet status of
// FleetBenchmarks.Databases databases at parallelism 1, 4 and 16, prints the load average before and after, and removes
// the server. Arguments go to BenchmarkDotNet (e.g. --filter '*Status*').
var loadBefore = LoadAverage();
try
{
    BenchmarkRunner.Run<FleetBenchmarks>(args: args);
}
finally
{
    await FleetServer.StopAsync();
}

Console.WriteLine($"Load average (1, 5, 15 min) before the run: {loadBefore}; after: {LoadAverage()}; {Environment.ProcessorCount} cores.");
return 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
