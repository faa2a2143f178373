using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>Whatever the source, a run leaves nothing behind: not when it ends, not when its process is killed.</summary>
public sealed class ServerLifetimeTests(PostgresServerFixture postgres)
{
    // Generous: these wait for a cleanup to happen, they do not measure how fast it happens.
    private static readonly TimeSpan CleanupDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Disposing_a_local_server_stops_the_cluster_and_deletes_its_folder()
    {
        var server = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries }, TestContext.Current.CancellationToken);
        var (dataDirectory, postmasterPid) = await ClusterOfAsync(server.ConnectionString);

        await server.DisposeAsync();

        Assert.Equal(TestServerSource.LocalBinaries, server.Source);
        Assert.False(Directory.Exists(dataDirectory));
        Assert.False(IsRunning(postmasterPid));
    }

    [Fact]
    public async Task A_test_process_killed_with_SIGKILL_leaves_no_cluster_or_folder_behind()
    {
        using var owner = OwnerProcess.Start("local");
        var (serverConnectionString, _) = await owner.ReadyAsync();
        var (dataDirectory, postmasterPid) = await ClusterOfAsync(serverConnectionString);

        owner.Kill();

        Assert.True(await EventuallyAsync(() => !Directory.Exists(dataDirectory) && !IsRunning(postmasterPid)), $"The cluster in {dataDirectory} (postmaster {postmasterPid}) outlived its killed owner.");
    }

    [Fact]
    public async Task A_test_process_that_crashes_without_disposing_leaves_no_cluster_or_folder_behind()
    {
        using var owner = OwnerProcess.Start("local");
        var (serverConnectionString, _) = await owner.ReadyAsync();
        var (dataDirectory, postmasterPid) = await ClusterOfAsync(serverConnectionString);

        await owner.CrashAsync();

        Assert.True(await EventuallyAsync(() => !Directory.Exists(dataDirectory) && !IsRunning(postmasterPid)), $"The cluster in {dataDirectory} (postmaster {postmasterPid}) outlived its crashed owner.");
    }

    [Fact]
    public async Task A_killed_run_s_databases_are_dropped_by_the_next_run_on_the_same_server()
    {
        using var owner = OwnerProcess.Start("connection", postgres.Server.ConnectionString);
        var (_, database) = await owner.ReadyAsync();
        owner.Kill();
        Assert.True(await EventuallyAsync(() => RunLockReleasedAsync(database)), $"The killed run behind {database} still holds its lock.");

        await using var next = await StartRunAsync();

        Assert.False(await Postgres.DatabaseExistsAsync(postgres.Server.ConnectionString, database));
    }

    [Fact]
    public async Task A_run_killed_with_SIGKILL_while_its_pool_refills_is_swept_by_the_next_run()
    {
        using var owner = OwnerProcess.Start("connection", postgres.Server.ConnectionString, "churn");
        var (_, database) = await owner.ReadyAsync();
        var prefix = Postgres.RunPrefixOf(database);
        Assert.True(await EventuallyAsync(() => CloneUnderWayAsync(prefix)), $"The run {prefix} never had a clone under way.");

        owner.Kill();
        Assert.True(await EventuallyAsync(() => RunLockReleasedAsync(database)), $"The killed run behind {database} still holds its lock.");
        await using var next = await StartRunAsync();

        Assert.Empty(await Postgres.DatabasesStartingWithAsync(postgres.Server.ConnectionString, prefix));
    }

    [Fact]
    public async Task A_run_its_process_never_disposes_drops_its_spares_when_the_process_exits()
    {
        using var owner = OwnerProcess.Start("connection", postgres.Server.ConnectionString, "exit");
        var (_, database) = await owner.ReadyAsync();

        await owner.ExitAsync();

        Assert.Empty(await Postgres.DatabasesStartingWithAsync(postgres.Server.ConnectionString, Postgres.RunPrefixOf(database)));
    }

    [Fact]
    public async Task Ending_a_run_drops_the_databases_its_tests_did_not_dispose()
    {
        var run = await StartRunAsync();
        var forgotten = await run.CreateDatabaseAsync(ReferralOS.Schema.ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);
        await using var live = await postgres.CreateDatabaseAsync(ReferralOS.Schema.ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        await run.DisposeAsync();

        Assert.Equal(TestServerSource.ConnectionString, run.Source);
        Assert.False(await Postgres.DatabaseExistsAsync(postgres.Server.ConnectionString, forgotten.Name));
        Assert.True(await Postgres.DatabaseExistsAsync(postgres.Server.ConnectionString, live.Name));
    }

    private Task<TestPostgresServer> StartRunAsync() =>
        TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.ConnectionString, ConnectionString = postgres.Server.ConnectionString }, TestContext.Current.CancellationToken);

    private async Task<bool> RunLockReleasedAsync(string database)
    {
        // referralos_test_<run id in hex>_<n>: the run holds advisory lock (0x524F5354, run id) while it lives.
        var runId = long.Parse(database.Split('_')[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        return !await Postgres.ScalarAsync<bool>(server, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 1380930388 AND objsubid = 2 AND objid::bigint = $1)", runId);
    }

    /// <summary>Whether the run's pool (application name <c>referralos_test_&lt;run&gt;_pool</c>) is running a CREATE DATABASE right now.</summary>
    private async Task<bool> CloneUnderWayAsync(string runPrefix)
    {
        await using var server = NpgsqlDataSource.Create(postgres.Server.ConnectionString);
        return await Postgres.ScalarAsync<bool>(server, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE 'CREATE DATABASE%')", runPrefix + "pool");
    }

    private static async Task<(string DataDirectory, int PostmasterPid)> ClusterOfAsync(string connectionString)
    {
        await using var server = NpgsqlDataSource.Create(connectionString);
        var dataDirectory = (await Postgres.ScalarAsync<string>(server, "SHOW data_directory"))!;
        var pid = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        return (dataDirectory, pid);
    }

    /// <summary>Whether the process runs; a zombie (dead, not yet reaped by a parent that never reaps) does not.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > CleanupDeadline)
            {
                return false;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return true;
    }

    /// <summary>tests/ReferralOS.Sdk.Testing.OwnerProcess: a process that owns a test server until it is killed.</summary>
    private sealed class OwnerProcess : IDisposable
    {
        private readonly Process _process;

        private OwnerProcess(Process process) => _process = process;

        public static OwnerProcess Start(params string[] arguments)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ReferralOS.Sdk.Testing.OwnerProcess.dll"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            return new OwnerProcess(Process.Start(start)!);
        }

        /// <summary>The server's connection string and the database the owner created, once it has both.</summary>
        public async Task<(string ServerConnectionString, string Database)> ReadyAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(CleanupDeadline);
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("The owner process exited before it was ready: " + await _process.StandardError.ReadToEndAsync(timeout.Token));
            var parts = line.Split('\t');
            return (parts[0], parts[1]);
        }

        /// <summary>An unhandled exception: the process ends with its server and database never disposed.</summary>
        public async Task CrashAsync()
        {
            await _process.StandardInput.WriteLineAsync("crash");
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.NotEqual(0, _process.ExitCode);
        }

        /// <summary>Waits for the process to end by itself, successfully.</summary>
        public async Task ExitAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(CleanupDeadline);
            await _process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, _process.ExitCode);
        }

        /// <summary>SIGKILL: no disposal, no finally blocks, no exit handlers.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
