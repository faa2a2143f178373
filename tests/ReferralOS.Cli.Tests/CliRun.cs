using System.Diagnostics;

namespace ReferralOS.Cli.Tests;

/// <summary>What one run of the CLI did: its exit code and everything it wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>The lines written to standard output.</summary>
    public IReadOnlyList<string> OutLines => Lines(Out);

    /// <summary>The lines written to standard error.</summary>
    public IReadOnlyList<string> ErrorLines => Lines(Error);

    /// <summary>Runs the CLI in this process, as the installed tool would run, with redirected (colourless) output.</summary>
    /// <param name="workingDirectory">Where the embedded PostgreSQL would live; a folder no test uses when null.</param>
    /// <param name="variables">The environment variables the CLI sees; none when null.</param>
    /// <param name="args">The command line.</param>
    /// <returns>What the run did.</returns>
    public static async Task<CliRun> RunAsync(string? workingDirectory, IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(
            output,
            error,
            workingDirectory ?? Path.Combine(Path.GetTempPath(), "referralos-cli-tests-unused"),
            name => variables?.GetValueOrDefault(name),
            OutColour: false,
            ErrorColour: false);
        var exitCode = await CliApplication.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>How to run the built CLI as a process of its own (<c>dotnet exec referralos-db.dll</c>), its output redirected.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The start info; the caller may set the working directory and environment before starting it.</returns>
    public static ProcessStartInfo ProcessStart(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "referralos-db.dll") }.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs the CLI with no embedded database folder and no environment variables.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>What the run did.</returns>
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(null, null, args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
