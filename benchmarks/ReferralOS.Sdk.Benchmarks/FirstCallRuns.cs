using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>One start of the first-call program: the call's time inside the process, and the whole process's.</summary>
internal sealed record FirstCallSample(double OpenMs, double CallMs, double ProcessMs);

/// <summary>Every measured start of one first-call case, with its medians.</summary>
internal sealed record FirstCallResult(string Case, IReadOnlyList<FirstCallSample> Samples)
{
    public double MedianCallMs => Median(Samples.Select(s => s.CallMs));

    public double MedianOpenMs => Median(Samples.Select(s => s.OpenMs));

    public double MedianProcessMs => Median(Samples.Select(s => s.ProcessMs));

    public double MinCallMs => Samples.Min(s => s.CallMs);

    public double MaxCallMs => Samples.Max(s => s.CallMs);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// The first <c>MigrateAsync</c> in a new process, measured as a process: benchmarks/ReferralOS.Sdk.Benchmarks.FirstCall
/// is started again and again (after one start that is not counted, which only fills the disk cache), against an
/// up-to-date database. Each start is cold the way an application restart is: a new runtime, no pooled connection,
/// nothing compiled — by the JIT as built, or ahead of time when the program is published ReadyToRun, as an
/// application can choose to ship.
/// </summary>
internal sealed class FirstCallProgram : IDisposable
{
    private const string Program = "ReferralOS.Sdk.Benchmarks.FirstCall.dll";
    private readonly string? _publishDirectory;

    private FirstCallProgram(string path, string? publishDirectory)
    {
        Path = path;
        _publishDirectory = publishDirectory;
    }

    public string Path { get; }

    /// <summary>The program as the benchmarks' build left it beside them: compiled by the JIT when it runs.</summary>
    public static FirstCallProgram AsBuilt() => new(System.IO.Path.Combine(AppContext.BaseDirectory, Program), null);

    /// <summary>The program published ReadyToRun (it and every library it uses, Npgsql included) into a temporary folder.</summary>
    public static async Task<FirstCallProgram> PublishReadyToRunAsync()
    {
        var project = typeof(FirstCallProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FirstCallProject").Value!;
        var directory = Directory.CreateTempSubdirectory("referralos-firstcall-r2r-").FullName;
        var publish = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
                "-p:PublishReadyToRun=true", "-o", directory, "--nologo", "-v", "quiet",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException($"dotnet publish of {project} exited {process.ExitCode}: {await output}{await error}");
        }

        return new FirstCallProgram(System.IO.Path.Combine(directory, Program), directory);
    }

    public async Task<FirstCallResult> MeasureAsync(string name, string connectionString, string catalog, bool openFirst, int starts)
    {
        var samples = new List<FirstCallSample>(starts);
        for (var i = 0; i <= starts; i++)
        {
            var sample = await StartAsync(connectionString, catalog, openFirst);
            if (i > 0)
            {
                samples.Add(sample);
            }
        }

        return new FirstCallResult(name, samples);
    }

    public void Dispose()
    {
        if (_publishDirectory is not null)
        {
            Directory.Delete(_publishDirectory, recursive: true);
        }
    }

    private async Task<FirstCallSample> StartAsync(string connectionString, string catalog, bool openFirst)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path, connectionString, catalog },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (openFirst)
        {
            start.ArgumentList.Add("--open-first");
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var processMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path} exited {process.ExitCode}: {await error}");
        }

        var fields = (await output).Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new FirstCallSample(
            double.Parse(fields[0], CultureInfo.InvariantCulture),
            double.Parse(fields[1], CultureInfo.InvariantCulture),
            processMs);
    }
}
