using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReferralOS.Sdk.Local;

/// <summary>
/// A PostgreSQL cluster run from the machine's own binaries (<c>initdb</c>, <c>pg_ctl</c>) in a data folder it
/// owns, listening on loopback only with trust authentication: the development database of the CLI and the
/// fallback server of the testing kit. When this process is root, the server runs as the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private const string LogFileName = "server.log";

    private readonly LocalPostgresOptions _options;
    private readonly string _binDirectory;
    private readonly ProcessExitWatchdog? _watchdog;
    private bool _disposed;
    private bool _kept;

    private LocalPostgresServer(LocalPostgresOptions options, string binDirectory, int port, bool startedHere, bool createdHere, ProcessExitWatchdog? watchdog = null)
    {
        _options = options;
        _binDirectory = binDirectory;
        _watchdog = watchdog;
        Port = port;
        StartedByThisCall = startedHere;
        CreatedByThisCall = createdHere;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The cluster's data folder.</summary>
    public string DataDirectory => _options.DataDirectory;

    /// <summary>False when the server was already running and this call attached to it.</summary>
    public bool StartedByThisCall { get; }

    /// <summary>True when this call created the cluster with <c>initdb</c>; false when it reused an existing data folder.</summary>
    public bool CreatedByThisCall { get; }

    /// <summary>A connection string to the <c>postgres</c> maintenance database as the <c>postgres</c> superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Whether a cluster in <paramref name="dataDirectory"/> is running, and on which port.</summary>
    /// <param name="dataDirectory">A data folder.</param>
    /// <returns>The port, or null when no server runs there.</returns>
    public static int? RunningPort(string dataDirectory)
    {
        // postmaster.pid: line 1 the pid, line 4 the port. A stale file (the server died) names a dead pid.
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(pidFile);
        }
        catch (IOException)
        {
            return null;
        }

        if (lines.Length < 4 || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ||
            !int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        return IsAlive(pid) ? port : null;
    }

    /// <summary>
    /// Starts the cluster in <see cref="LocalPostgresOptions.DataDirectory"/> — creating it with <c>initdb</c> the
    /// first time — or attaches to it when it is already running, and waits until it accepts connections.
    /// </summary>
    /// <param name="options">Where and how to run it.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="LocalPostgresException">No PostgreSQL binaries, or the cluster could not be created or started.</exception>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var binDirectory = options.BinDirectory ?? PostgresBinaries.Find()
            ?? throw new LocalPostgresException($"No PostgreSQL server binaries (initdb, pg_ctl) were found {PostgresBinaries.SearchedPlaces}. {PostgresBinaries.InstallHint}");
        if (!PostgresBinaries.HasServer(binDirectory))
        {
            throw new LocalPostgresException($"The PostgreSQL binaries folder {binDirectory} has no initdb and pg_ctl: name the bin folder of a PostgreSQL server installation. {PostgresBinaries.InstallHint}");
        }

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        options = options with { DataDirectory = dataDirectory };

        if (RunningPort(dataDirectory) is { } runningPort)
        {
            return new LocalPostgresServer(options, binDirectory, runningPort, startedHere: false, createdHere: false);
        }

        var watchdog = options.StopWhenProcessExits
            ? ProcessExitWatchdog.Start(Path.Combine(binDirectory, "pg_ctl"), dataDirectory, deleteDataDirectory: options.Ephemeral)
            : null;
        var create = !Exists(dataDirectory);
        var port = options.Port != 0 ? options.Port : FreePort();
        try
        {
            if (create)
            {
                await InitializeAsync(binDirectory, dataDirectory, options.Password, cancellationToken).ConfigureAwait(false);
            }

            var settings = new List<string>
            {
                $"-p {port}",
                "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=''",
                "-c max_connections=200",
            };
            if (options.Ephemeral)
            {
                settings.Add("-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            }

            var (exitCode, output) = await CommandRunner.RunAsync(
                Path.Combine(binDirectory, "pg_ctl"),
                ["start", "-D", dataDirectory, "-l", Path.Combine(dataDirectory, LogFileName), "-w", "-t", ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-o", string.Join(' ', settings)],
                cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new LocalPostgresException($"PostgreSQL in {dataDirectory} did not start (pg_ctl exit code {exitCode}): {output}{LogTail(dataDirectory)}");
            }
        }
        catch
        {
            // A cluster that never came up is not left behind: the watchdog stops what started and deletes a throwaway folder.
            watchdog?.Dispose();
            throw;
        }

        return new LocalPostgresServer(options, binDirectory, port, startedHere: true, createdHere: create, watchdog);
    }

    /// <summary>Whether a data folder holds a cluster (running or not).</summary>
    /// <param name="dataDirectory">A data folder.</param>
    /// <returns>True when <c>initdb</c> has created a cluster there.</returns>
    public static bool Exists(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    /// <summary>A connection string to one database on this server as the <c>postgres</c> superuser.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionStringFor(string database) => ConnectionStringFor(Port, database, _options.Password);

    /// <summary>
    /// A connection string to one database of a local cluster on a port as the <c>postgres</c> superuser, for a
    /// cluster this process did not start (see <see cref="RunningPort"/>).
    /// </summary>
    /// <param name="port">The port the cluster listens on.</param>
    /// <param name="database">The database name.</param>
    /// <param name="password">The superuser's password, for a cluster started with <see cref="LocalPostgresOptions.Password"/>.</param>
    /// <returns>The connection string.</returns>
    public static string ConnectionStringFor(int port, string database, string? password = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = CommandRunner.ServiceUser,
        Password = password,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database when it does not exist yet.</summary>
    /// <param name="database">The database name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>True when this call created it.</returns>
    public async Task<bool> EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE {new NpgsqlCommandBuilder().QuoteIdentifier(database)}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops the server (fast shutdown: open sessions are rolled back). Does nothing when it is not running.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes when the server has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => StopAsync(_binDirectory, DataDirectory, cancellationToken);

    /// <summary>Stops the cluster running in a data folder, if any.</summary>
    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>True when a running server was stopped.</returns>
    public static async Task<bool> StopAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        if (RunningPort(dataDirectory) is null)
        {
            return false;
        }

        var binDirectory = PostgresBinaries.Find() ?? throw new LocalPostgresException("No PostgreSQL binaries to stop the server with. " + PostgresBinaries.InstallHint);
        await StopAsync(binDirectory, dataDirectory, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops the cluster in a data folder if it runs, then deletes the folder with every database in it.</summary>
    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="cancellationToken">Stops the wait for the server to stop.</param>
    /// <returns>True when there was a folder to delete.</returns>
    public static async Task<bool> DestroyAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        await StopAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(dataDirectory))
        {
            return false;
        }

        Directory.Delete(dataDirectory, recursive: true);
        return true;
    }

    /// <summary>
    /// Leaves a throwaway cluster running, with its data, after this object is disposed and after this process exits:
    /// for a test run that kept a database to look at. Stop and delete it later with
    /// <see cref="DestroyAsync(string, CancellationToken)"/> on <see cref="DataDirectory"/>.
    /// </summary>
    public void Keep()
    {
        _kept = true;
        _watchdog?.Release();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed || !_options.Ephemeral || _kept)
        {
            return;
        }

        _disposed = true;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Directory.Delete(DataDirectory, recursive: true);
        _watchdog?.Release();
    }

    private static async Task StopAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken)
    {
        if (RunningPort(dataDirectory) is null)
        {
            return;
        }

        var (exitCode, output) = await CommandRunner.RunAsync(
            Path.Combine(binDirectory, "pg_ctl"), ["stop", "-D", dataDirectory, "-m", "fast", "-w"], cancellationToken).ConfigureAwait(false);
        if (exitCode != 0 && RunningPort(dataDirectory) is not null)
        {
            throw new LocalPostgresException($"PostgreSQL in {dataDirectory} did not stop (pg_ctl exit code {exitCode}): {output}");
        }
    }

    private static async Task InitializeAsync(string binDirectory, string dataDirectory, string? password, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        if (CommandRunner.RunsAsRoot)
        {
            // initdb refuses to run as root; the server runs as postgres, which must own its data folder.
            var (chownExit, chownOutput) = await CommandRunner.RunAsync("chown", [CommandRunner.ServiceUser, dataDirectory], cancellationToken, asServiceUser: false).ConfigureAwait(false);
            if (chownExit != 0)
            {
                throw new LocalPostgresException($"Could not hand {dataDirectory} to the '{CommandRunner.ServiceUser}' user ({chownOutput}). Running as root, the server runs as '{CommandRunner.ServiceUser}': create that user or run as an ordinary user.");
            }
        }

        List<string> arguments = ["-D", dataDirectory, "-U", CommandRunner.ServiceUser, "-E", "UTF8", "--locale=C", "--no-sync"];
        string? passwordFile = null;
        if (password is null)
        {
            arguments.AddRange(["-A", "trust"]);
        }
        else
        {
            // initdb reads the superuser's password from a file: one only its owner can read, beside the data folder
            // (initdb wants that folder empty), deleted as soon as initdb ends.
            passwordFile = Path.Combine(Path.GetDirectoryName(dataDirectory) ?? dataDirectory, $".pwfile-{Guid.NewGuid():N}");
            var owner = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var writer = new StreamWriter(passwordFile, owner))
            {
                await writer.WriteLineAsync(password.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            if (CommandRunner.RunsAsRoot)
            {
                await CommandRunner.RunAsync("chown", [CommandRunner.ServiceUser, passwordFile], cancellationToken, asServiceUser: false).ConfigureAwait(false);
            }

            arguments.AddRange(["-A", "scram-sha-256", "--pwfile", passwordFile]);
        }

        int exitCode;
        string output;
        try
        {
            (exitCode, output) = await CommandRunner.RunAsync(Path.Combine(binDirectory, "initdb"), arguments, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }
        }

        if (exitCode != 0)
        {
            var hint = CommandRunner.RunsAsRoot
                ? $" Running as root, initdb runs as '{CommandRunner.ServiceUser}', which needs to reach {dataDirectory}: every folder above it must be searchable by that user."
                : string.Empty;
            throw new LocalPostgresException($"initdb could not create a cluster in {dataDirectory} (exit code {exitCode}): {output}.{hint}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string LogTail(string dataDirectory)
    {
        var log = Path.Combine(dataDirectory, LogFileName);
        if (!File.Exists(log))
        {
            return string.Empty;
        }

        var lines = File.ReadAllLines(log);
        return Environment.NewLine + "Server log:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 10)));
    }
}
