using System.Diagnostics;
using ReferralOS.Cli.Connecting;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// The quick start as a newcomer meets it: the CLI as a process of its own, in a clone inside a folder only its
/// owner may enter (a 0700 home, a <c>mktemp -d</c> folder), with such a HOME. Run as root, the server runs as the
/// <c>postgres</c> user, who cannot enter that folder: the cluster lives outside it and a pointer file finds it again.
/// </summary>
public sealed class QuickStartFromAPrivateFolderTests : IAsyncDisposable
{
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _root;
    private readonly string _project;
    private readonly string _home;

    public QuickStartFromAPrivateFolderTests()
    {
        _root = Directory.CreateTempSubdirectory("referralos-private-").FullName;
        _project = Path.Combine(_root, "clone");
        _home = Path.Combine(_root, "home");
        Directory.CreateDirectory(_project);
        Directory.CreateDirectory(_home);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var folder in new[] { _root, _project, _home })
            {
                File.SetUnixFileMode(folder, OwnerOnly);
            }
        }
    }

    private static bool RunsAsRoot => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    private string Pointer => Path.Combine(_project, ".referralos", LocalDevelopmentDatabase.PointerFileName);

    [Fact]
    public async Task Migrate_seed_succeeds_from_a_private_folder_and_the_second_run_reuses_the_cluster()
    {
        var first = await RunAsync("migrate", "--seed");
        var second = await RunAsync("migrate", "--seed");

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error + first.Out);
        Assert.True(second.ExitCode == ExitCodes.Ok, second.Error + second.Out);
        Assert.Contains(first.OutLines, l => l.StartsWith("Created a local PostgreSQL cluster in ", StringComparison.Ordinal));
        Assert.Contains("applied 10 migrations", first.OutLines[^1], StringComparison.Ordinal);
        Assert.Contains(second.OutLines, l => l.StartsWith("Using the local PostgreSQL in ", StringComparison.Ordinal));
        Assert.Contains("all 10 migrations already applied; ran 3 seeds for development, 0 rows inserted", second.OutLines[^1], StringComparison.Ordinal);
        Assert.Empty(second.Error);
    }

    [Fact]
    public async Task As_root_the_cluster_lives_outside_the_private_folder_and_local_status_stop_and_destroy_find_it()
    {
        Assert.SkipUnless(RunsAsRoot, "Only root runs the server as another user; an ordinary user's cluster stays in .referralos/postgres.");

        var created = await RunAsync("status");
        var dataDirectory = File.ReadAllText(Pointer).Trim();
        var running = await RunAsync("local", "status");
        var stop = await RunAsync("local", "stop");
        var started = await RunAsync("status");
        var destroy = await RunAsync("local", "destroy");

        Assert.All([created, running, stop, started, destroy], run => Assert.True(run.ExitCode == ExitCodes.Ok, run.Error + run.Out));
        Assert.Equal(LocalDataLocation.ForProject(_project), dataDirectory);
        Assert.StartsWith(LocalDataLocation.ServiceRoot + "/", dataDirectory, StringComparison.Ordinal);
        Assert.Equal(
            $"The server runs as the 'postgres' user (this process is root), which cannot enter {_project}: its data folder is {dataDirectory}, named in .referralos/postgres.location.",
            created.OutLines[0]);
        Assert.Matches($@"^The local PostgreSQL in {System.Text.RegularExpressions.Regex.Escape(dataDirectory)} is running on port \d+\.$", running.OutLines[^1]);
        Assert.Equal($"Stopped the local PostgreSQL in {dataDirectory}; its data is kept.", stop.OutLines[^1]);
        Assert.StartsWith($"Started the local PostgreSQL in {dataDirectory} on port ", started.OutLines[0], StringComparison.Ordinal);
        Assert.Equal($"Destroyed the local PostgreSQL in {dataDirectory} and every database in it.", destroy.OutLines[^1]);
        Assert.False(Directory.Exists(dataDirectory));
        Assert.False(Directory.Exists(Path.Combine(_project, ".referralos")));
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("local", "destroy");
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Runs the built CLI with <c>dotnet exec</c> in the private clone, HOME private too, and no connection.</summary>
    private async Task<CliRun> RunAsync(params string[] args)
    {
        var start = CliRun.ProcessStart(args);
        start.WorkingDirectory = _project;
        start.Environment["HOME"] = _home;
        start.Environment.Remove(CliContext.DatabaseUrlVariable);
        start.Environment.Remove(CliContext.EnvironmentVariable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
