using Npgsql;
using ReferralOS.Schema;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// With no connection, the CLI runs an embedded PostgreSQL in .referralos/ under the working directory; these tests
/// each use a working directory of their own and destroy what they started.
/// </summary>
public sealed class LocalDatabaseTests : IAsyncDisposable
{
    private readonly string _workingDirectory = TestFolders.Create("referralos-cli");

    [Fact]
    public async Task Without_a_connection_the_first_command_creates_the_local_database_and_the_next_reuses_it()
    {
        var first = await RunAsync("migrate", "--seed");
        var second = await RunAsync("status");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (first.ExitCode, second.ExitCode));
        Assert.StartsWith("Created a local PostgreSQL cluster in .referralos/postgres and started it on port ", first.OutLines[0], StringComparison.Ordinal);
        Assert.Equal("Created database 'referralos'.", first.OutLines[1]);
        var connection = first.OutLines[2]["Connection: ".Length..];
        Assert.DoesNotContain("Password", connection, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Database=referralos", connection.Split(';')[^1]);
        Assert.StartsWith("Using the local PostgreSQL in .referralos/postgres (port ", second.OutLines[0], StringComparison.Ordinal);
        Assert.Equal($"Connection: {connection}", second.OutLines[1]);
        Assert.Equal("10 applied, 0 pending: the database is up to date.", second.OutLines[^1]);
        await using var dataSource = NpgsqlDataSource.Create(connection);
        Assert.Equal(ReferralOsSchema.Migrations.Count, await Sql.CountAsync(dataSource, "schema_migrations"));
        Assert.Equal(1, await Sql.CountAsync(dataSource, "tenants"));
    }

    [Fact]
    public async Task Local_status_stop_and_destroy_manage_the_embedded_database()
    {
        var before = await RunAsync("local", "status");
        await RunAsync("status");
        var running = await RunAsync("local", "status");
        var stop = await RunAsync("local", "stop");
        var stopped = await RunAsync("local", "status");
        var destroy = await RunAsync("local", "destroy");
        var gone = await RunAsync("local", "status");

        Assert.All([before, running, stop, stopped, destroy, gone], run => Assert.Equal(ExitCodes.Ok, run.ExitCode));
        Assert.Equal("There is no local PostgreSQL in .referralos/postgres; the next command without --connection creates one.", before.OutLines[^1]);
        Assert.Matches(@"^The local PostgreSQL in \.referralos/postgres is running on port \d+\.$", running.OutLines[^1]);
        Assert.Equal("Stopped the local PostgreSQL in .referralos/postgres; its data is kept.", stop.OutLines[^1]);
        Assert.Equal("The local PostgreSQL in .referralos/postgres is stopped; the next command without --connection starts it.", stopped.OutLines[^1]);
        Assert.Equal("Destroyed the local PostgreSQL in .referralos/postgres and every database in it.", destroy.OutLines[^1]);
        Assert.Equal(before.OutLines[^1], gone.OutLines[^1]);
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, ".referralos")));
    }

    [Fact]
    public async Task Without_postgresql_binaries_the_local_database_exits_8_with_one_line_on_how_to_install_them()
    {
        var variables = new Dictionary<string, string> { ["REFERRALOS_POSTGRES_BIN"] = Path.Combine(_workingDirectory, "no-postgresql-here") };

        var run = await CliRun.RunAsync(_workingDirectory, variables, "migrate");

        Assert.Equal(ExitCodes.LocalPostgresUnavailable, run.ExitCode);
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains("no-postgresql-here has no initdb and pg_ctl", error, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install -y postgresql", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, ".referralos")));
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("local", "destroy");
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_workingDirectory, null, args);
}
