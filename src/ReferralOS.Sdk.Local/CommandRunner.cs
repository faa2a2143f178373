using System.Diagnostics;

namespace ReferralOS.Sdk.Local;

/// <summary>Runs a PostgreSQL binary, as the postgres system user when this process is root (initdb refuses root).</summary>
internal static class CommandRunner
{
    public const string ServiceUser = "postgres";

    public static bool RunsAsRoot => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asServiceUser = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asServiceUser && RunsAsRoot ? "runuser" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServiceUser && RunsAsRoot)
        {
            // The service user may not be able to enter this process's working directory (a private home folder);
            // every path it is given is absolute, so it starts in the root folder.
            start.WorkingDirectory = "/";
            foreach (var argument in new[] { "-u", ServiceUser, "--", fileName })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Messages in English whatever the machine's locale, so errors read the same everywhere.
        start.Environment["LC_MESSAGES"] = "C";

        using var process = Process.Start(start) ?? throw new LocalPostgresException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, ((await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false))).Trim());
    }
}
