using NUnit.Framework;

namespace ReferralOS.Sdk.Testing.NUnit;

/// <summary>
/// One PostgreSQL server for the whole test run, for NUnit. Derive a setup fixture from it once per test assembly, in
/// the namespace that holds the tests (NUnit runs a setup fixture for the tests of its namespace and the namespaces
/// below it):
/// <code>
/// [SetUpFixture]
/// public sealed class Postgres : PostgresSetUpFixture;
/// </code>
/// then derive test fixtures from <see cref="DatabaseTest"/>, or take <see cref="Server"/> and create databases
/// yourself. Override <see cref="Options"/> to choose the source or the switches; by default the server is chosen as
/// <see cref="TestPostgresServer"/> describes, and which one it chose, and why, is written to NUnit's progress output.
/// </summary>
public abstract class PostgresSetUpFixture
{
    // NUnit hands a test no object of its setup fixture's: the run's one server is where every test can reach it.
    private static TestPostgresServer? _server;

    /// <summary>The run's server; available once the setup fixture has run.</summary>
    public static TestPostgresServer Server => _server ?? throw new InvalidOperationException(
        $"The PostgreSQL server is not started: add a [SetUpFixture] class deriving from {nameof(PostgresSetUpFixture)} to the namespace that holds the tests.");

    /// <summary>Which server to use and how; the defaults choose by themselves and read the environment's switches.</summary>
    protected virtual TestPostgresServerOptions Options => new();

    /// <summary>Starts the server before the first test; NUnit calls it.</summary>
    /// <returns>A task that completes when the server is ready.</returns>
    [OneTimeSetUp]
    public async Task StartPostgresAsync()
    {
        _server = await TestPostgresServer.StartAsync(Options, TestContext.CurrentContext.CancellationToken).ConfigureAwait(false);
        await TestContext.Progress.WriteLineAsync(_server.Description).ConfigureAwait(false);
    }

    /// <summary>Stops and cleans up the server after the last test; NUnit calls it.</summary>
    /// <returns>A task that completes when the server is cleaned up.</returns>
    [OneTimeTearDown]
    public async Task StopPostgresAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }
}
