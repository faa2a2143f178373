using System.Diagnostics;

namespace ReferralOS.Sdk.Tests;

/// <summary>A real migrator process (ReferralOS.Sdk.Tests.Migrator), for tests that kill one or run many at once.</summary>
public static class MigratorProcess
{
    /// <summary>Starts the migrator with a mode (<c>counting</c>, <c>concurrent-index</c>, <c>chaos</c>) against a database, with the mode's further arguments.</summary>
    public static Process Start(string mode, string connectionString, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ReferralOS.Sdk.Tests.Migrator.dll"), mode, connectionString },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs it to the end: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string mode, string connectionString)
    {
        using var process = Start(mode, connectionString);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, (await output) + (await error));
    }
}
