using System.Diagnostics;
using System.Globalization;

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
/// up-to-date database. Each start is cold in every way an application restart is: a new runtime, nothing JIT-compiled,
/// no pooled connection.
/// </summary>
internal static class FirstCallRuns
{
    public static async Task<FirstCallResult> MeasureAsync(string name, string connectionString, string catalogue, bool openFirst, int starts)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "ReferralOS.Sdk.Benchmarks.FirstCall.dll");
        var samples = new List<FirstCallSample>(starts);
        for (var i = 0; i <= starts; i++)
        {
            var sample = await StartAsync(program, connectionString, catalogue, openFirst);
            if (i > 0)
            {
                samples.Add(sample);
            }
        }

        return new FirstCallResult(name, samples);
    }

    private static async Task<FirstCallSample> StartAsync(string program, string connectionString, string catalogue, bool openFirst)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { program, connectionString, catalogue },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (openFirst)
        {
            start.ArgumentList.Add("--open-first");
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var processMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited {process.ExitCode}: {await error}");
        }

        var fields = (await output).Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new FirstCallSample(
            double.Parse(fields[0], CultureInfo.InvariantCulture),
            double.Parse(fields[1], CultureInfo.InvariantCulture),
            processMs);
    }
}
