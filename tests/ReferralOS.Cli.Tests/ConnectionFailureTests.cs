using System.Net;
using System.Net.Sockets;
using Npgsql;
using ReferralOS.Sdk.Local;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary>Bad connection input gets one clear line on standard error, the connection exit code, and never the password.</summary>
public sealed class ConnectionFailureTests(PostgresServerFixture postgres)
{
    private static string Password => "s3cret-Passw0rd-never-printed";

    [Fact]
    public async Task An_unreachable_server_gets_one_line_naming_host_and_port()
    {
        var port = ClosedPort();

        var run = await CliRun.RunAsync("migrate", "--connection", $"Host=127.0.0.1;Port={port};Username=app;Password={Password};Database=referralos");

        Assert.Equal(ExitCodes.ConnectionFailed, run.ExitCode);
        Assert.Equal($"error: Cannot reach PostgreSQL at 127.0.0.1:{port}: Connection refused. Check that the server is running and Host/Port are right.", Assert.Single(run.ErrorLines));
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_gets_one_line_naming_it()
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString) { Database = "no_such_database" };

        var run = await CliRun.RunAsync("status", "--connection", connection.ConnectionString);

        Assert.Equal(ExitCodes.ConnectionFailed, run.ExitCode);
        Assert.StartsWith("error: Database 'no_such_database' does not exist on ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_gets_one_line_naming_the_user_and_never_the_password()
    {
        await using var server = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions { DataDirectory = TestFolders.Create("referralos-auth"), Ephemeral = true, Password = "the-right-password" },
            TestContext.Current.CancellationToken);
        var url = $"postgres://postgres:{Password}@127.0.0.1:{server.Port}/postgres";

        var run = await CliRun.RunAsync("migrate", "--connection", url);

        Assert.Equal(ExitCodes.ConnectionFailed, run.ExitCode);
        Assert.StartsWith($"error: PostgreSQL at 127.0.0.1:{server.Port} refused user 'postgres': password authentication failed", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("Password=***", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_url_gets_one_line_without_repeating_it()
    {
        var run = await CliRun.RunAsync("status", "--connection", $"postgres://app:{Password}@127.0.0.1:5432/referralos?no_such_setting=1");

        Assert.Equal(ExitCodes.ConnectionFailed, run.ExitCode);
        Assert.StartsWith("error: The connection URL in --connection cannot be read: its parameter 'no_such_setting'", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
