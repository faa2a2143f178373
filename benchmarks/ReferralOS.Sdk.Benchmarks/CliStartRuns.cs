using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Npgsql;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>The medians of the CLI's starts and of psql's, measured in turns.</summary>
internal sealed record CliStartResult(string Case, int Starts, double CliMs, double PsqlMs)
{
    public double Ratio => CliMs / PsqlMs;
}

/// <summary>
/// The tool's own start, as a process: <c>referralos-db status -c …</c> on an up-to-date database against
/// <c>psql -c 'select 1'</c> on the same database, each a new process, started in turns (the order swapped every
/// round, after one start of each that is not counted) so that both see the same load. The tool is published into a
/// temporary folder as a user gets it, compiled by the JIT, or ReadyToRun.
/// </summary>
internal sealed class CliStartRuns : IDisposable
{
    private readonly string _directory;

    private CliStartRuns(string directory, string name)
    {
        _directory = directory;
        Name = name;
    }

    public string Name { get; }

    public static async Task<CliStartRuns> PublishAsync(bool readyToRun)
    {
        var project = typeof(CliStartRuns).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliProject").Value!;
        var directory = Directory.CreateTempSubdirectory("referralos-cli-start-").FullName;
        var publish = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["publish", project, "-c", "Release", "-o", directory, "--nologo", "-v", "quiet"])
        {
            publish.ArgumentList.Add(argument);
        }

        if (readyToRun)
        {
            foreach (var argument in (string[])["-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true"])
            {
                publish.ArgumentList.Add(argument);
            }
        }

        var (exitCode, output) = await RunAsync(publish);
        if (exitCode != 0)
        {
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException($"dotnet publish of {project} exited {exitCode}: {output}");
        }

        return new CliStartRuns(directory, readyToRun ? "referralos-db status, ReadyToRun" : "referralos-db status");
    }

    public async Task<CliStartResult> MeasureAsync(string connectionString, int starts)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var cli = new ProcessStartInfo(Path.Combine(_directory, "referralos-db")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["status", "-c", connectionString])
        {
            cli.ArgumentList.Add(argument);
        }

        var psql = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"host={builder.Host} port={builder.Port} user={builder.Username} dbname={builder.Database}", "-X", "-c", "select 1"])
        {
            psql.ArgumentList.Add(argument);
        }

        psql.Environment["PGPASSWORD"] = builder.Password ?? string.Empty;
        var cliMs = new List<double>(starts);
        var psqlMs = new List<double>(starts);
        for (var round = 0; round <= starts; round++)
        {
            var (first, second) = round % 2 == 0 ? (cli, psql) : (psql, cli);
            var firstMs = await TimeAsync(first);
            var secondMs = await TimeAsync(second);
            if (round > 0)
            {
                (first == cli ? cliMs : psqlMs).Add(firstMs);
                (second == cli ? cliMs : psqlMs).Add(secondMs);
            }
        }

        return new CliStartResult(Name, starts, Median(cliMs), Median(psqlMs));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<double> TimeAsync(ProcessStartInfo start)
    {
        var started = Stopwatch.GetTimestamp();
        var (exitCode, output) = await RunAsync(start);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return exitCode == 0 ? ms : throw new InvalidOperationException($"{start.FileName} exited {exitCode}: {output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
