using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>How PgBouncer hands server connections to clients.</summary>
public enum PoolMode
{
    /// <summary>A server connection per client connection, for as long as it stays open: session state holds.</summary>
    Session,

    /// <summary>A server connection per transaction: consecutive statements of one client may run on different backends.</summary>
    Transaction,
}

/// <summary>
/// A real PgBouncer (Debian's <c>pgbouncer</c>) on loopback in front of the test server, started for one test and
/// stopped (its folder deleted) when disposed. It refuses to run as root, so as root it runs as <c>postgres</c>.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];

    private readonly Process _process;
    private readonly string _folder;
    private readonly string _serverConnectionString;

    private PgBouncer(Process process, string folder, int port, string serverConnectionString)
    {
        _process = process;
        _folder = folder;
        Port = port;
        _serverConnectionString = serverConnectionString;
    }

    /// <summary>The loopback port PgBouncer listens on.</summary>
    public int Port { get; }

    /// <summary>The server's connection string, pointed at PgBouncer instead. Npgsql's own pool is kept (as an application would).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_serverConnectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Starts PgBouncer in front of the server <paramref name="serverConnectionString"/> names.</summary>
    /// <param name="serverConnectionString">A connection string to the test server (any database on it).</param>
    /// <param name="mode">Session or transaction pooling.</param>
    /// <param name="poolSize">Server connections per database and user.</param>
    public static async Task<PgBouncer> StartAsync(string serverConnectionString, PoolMode mode, int poolSize = 20)
    {
        var binary = Candidates.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            // A newcomer's machine may lack it: skip there, with the command that installs it. CI installs it and never skips.
            const string Missing = "pgbouncer is not installed: apt-get install -y pgbouncer (.ci/run installs it on a fresh machine).";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(Missing);
            }

            Assert.Skip(Missing);
        }

        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var folder = Path.Combine(Path.GetTempPath(), "referralos-pgbouncer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var user = server.Username ?? "postgres";
        await File.WriteAllTextAsync(Path.Combine(folder, "users.txt"), $"\"{user}\" \"{server.Password ?? string.Empty}\"\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "pgbouncer.ini"), $"""
            [databases]
            * = host={server.Host ?? "127.0.0.1"} port={server.Port.ToString(CultureInfo.InvariantCulture)}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port.ToString(CultureInfo.InvariantCulture)}
            unix_socket_dir =
            auth_type = {(string.IsNullOrEmpty(server.Password) ? "trust" : "plain")}
            auth_file = {Path.Combine(folder, "users.txt")}
            pool_mode = {mode.ToString().ToLowerInvariant()}
            default_pool_size = {poolSize.ToString(CultureInfo.InvariantCulture)}
            max_client_conn = 1000
            server_lifetime = 3600
            ignore_startup_parameters = extra_float_digits
            logfile = {Path.Combine(folder, "pgbouncer.log")}
            """);

        var root = OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;
        if (root)
        {
            using var chown = Process.Start("chown", ["-R", "postgres", folder])!;
            await chown.WaitForExitAsync();
        }

        var start = new ProcessStartInfo(root ? "runuser" : binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in root ? ["-u", "postgres", "--", binary, Path.Combine(folder, "pgbouncer.ini")] : new[] { Path.Combine(folder, "pgbouncer.ini") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var bouncer = new PgBouncer(process, folder, port, serverConnectionString);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(folder, "pgbouncer.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "pgbouncer.log")) : string.Empty;
                await bouncer.DisposeAsync();
                throw new InvalidOperationException($"pgbouncer exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return bouncer;
            }
            catch (SocketException)
            {
                await Task.Delay(10);
            }
        }

        await bouncer.DisposeAsync();
        throw new InvalidOperationException("pgbouncer did not start listening within 5 seconds.");
    }

    /// <summary>Sends PgBouncer a signal (STOP freezes it, as a stalled network would; CONT resumes it).</summary>
    /// <param name="signal">The signal's name, e.g. STOP.</param>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("pkill", [$"-{signal}", "-f", Path.Combine(_folder, "pgbouncer.ini")])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Stops PgBouncer and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await SignalAsync("CONT");
                // runuser passes the signal on; kill the whole tree so that pgbouncer itself ends.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
