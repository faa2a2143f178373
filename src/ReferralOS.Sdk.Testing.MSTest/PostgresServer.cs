namespace ReferralOS.Sdk.Testing.MSTest;

/// <summary>
/// One PostgreSQL server for the whole test run, for MSTest. Start and stop it from the test assembly's own
/// initialize and cleanup (MSTest looks for them in the test assembly only):
/// <code>
/// [TestClass]
/// public sealed class Postgres
/// {
///     [AssemblyInitialize]
///     public static Task StartAsync(TestContext context) => PostgresServer.StartAsync(context);
///
///     [AssemblyCleanup]
///     public static Task StopAsync() => PostgresServer.StopAsync();
/// }
/// </code>
/// then derive test classes from <see cref="DatabaseTest"/>, or take <see cref="Server"/> and create databases
/// yourself. The server is chosen as <see cref="TestPostgresServer"/> describes, and which one it chose, and why, is
/// written to the initializing context's output.
/// </summary>
public static class PostgresServer
{
    // MSTest hands a test nothing from the assembly's initialize: the run's one server is where every test can reach it.
    private static TestPostgresServer? _server;

    /// <summary>The run's server; available once <see cref="StartAsync"/> has run.</summary>
    public static TestPostgresServer Server => _server ?? throw new InvalidOperationException(
        $"The PostgreSQL server is not started: call {nameof(PostgresServer)}.{nameof(StartAsync)} from an [AssemblyInitialize] method of the test assembly.");

    /// <summary>Starts the run's server.</summary>
    /// <param name="context">The assembly's test context, for the cancellation and the output.</param>
    /// <param name="options">Which server to use and how; null to choose by itself and read the environment's switches.</param>
    /// <returns>A task that completes when the server is ready.</returns>
    public static async Task StartAsync(TestContext context, TestPostgresServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _server = await TestPostgresServer.StartAsync(options, context.CancellationToken).ConfigureAwait(false);
        context.WriteLine(_server.Description);
    }

    /// <summary>Stops and cleans up the run's server.</summary>
    /// <returns>A task that completes when the server is cleaned up.</returns>
    public static async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }
}
