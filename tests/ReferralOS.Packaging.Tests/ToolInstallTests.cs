using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Packaging.Tests;

/// <summary>
/// <c>dotnet tool install</c> of referralos-db from the test feed into a tool folder of this class's own, then the
/// installed command run as a user runs it, against a real database.
/// </summary>
public sealed class ToolInstallTests(PackageFeed feed, PostgresServerFixture postgres, ToolInstallTests.InstalledTool tool) : IClassFixture<ToolInstallTests.InstalledTool>
{
    [Fact]
    public async Task The_installed_tool_migrates_and_seeds_a_database_and_reports_its_status_as_json()
    {
        await using var database = await postgres.Server.CreateDatabaseAsync(new MigrationCatalog([], []), TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);

        var migrate = await tool.RunAsync(feed, "migrate", "--seed", "--connection", database.ConnectionString);
        var status = await tool.RunAsync(feed, "status", "--json", "--connection", database.ConnectionString);

        Assert.True(migrate.ExitCode == 0, migrate.All);
        Assert.Contains("Applied migration 010_create_indexes in ", migrate.Out, StringComparison.Ordinal);
        Assert.Contains("applied 10 migrations", migrate.Out.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', migrate.All);
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Out);
        Assert.True(json.RootElement.GetProperty("upToDate").GetBoolean());
        Assert.Equal(10, json.RootElement.GetProperty("applied").GetInt32());
    }

    [Fact]
    public async Task The_installed_tool_exits_2_for_a_bad_command_line_and_6_for_an_unreachable_server_without_printing_the_password()
    {
        var usage = await tool.RunAsync(feed, "migrate", "--no-such-option");
        var unreachable = await tool.RunAsync(feed, "status", "--connection", $"Host=127.0.0.1;Port={ClosedPort()};Username=app;Password=tool-test-secret");

        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(6, unreachable.ExitCode);
        Assert.StartsWith("error: Cannot reach PostgreSQL at 127.0.0.1:", unreachable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("tool-test-secret", unreachable.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_tool_verifies_this_repository_against_its_lock_file()
    {
        var verify = await tool.RunAsync(feed, "verify", "--execution", Path.Combine(PackageFeed.RepositoryRoot, "execution"));

        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.StartsWith("Verified 10 migrations against migrations.lock", verify.Out.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_tool_reports_its_package_version()
    {
        var version = await tool.RunAsync(feed, "--version");

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith(feed.Version, version.Out.Trim(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The tool, installed once for this class with <c>dotnet tool install --tool-path</c> from the test feed.</summary>
    public sealed class InstalledTool(PackageFeed feed) : IAsyncLifetime
    {
        private string ToolPath => Path.Combine(feed.Root, "tools");

        /// <summary>Runs the installed referralos-db in an empty working folder of its own.</summary>
        public async Task<ProcessRun> RunAsync(PackageFeed packageFeed, params string[] args)
        {
            var workingDirectory = Path.Combine(packageFeed.Root, "tool-runs", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(workingDirectory);
            return await ProcessRun.RunAsync(Path.Combine(ToolPath, "referralos-db"), args, workingDirectory);
        }

        /// <inheritdoc/>
        public async ValueTask InitializeAsync()
        {
            var install = await ProcessRun.RunAsync(
                "dotnet",
                ["tool", "install", "referralos-db", "--version", feed.Version, "--tool-path", ToolPath, "--add-source", feed.Folder],
                feed.Root,
                feed.Environment);
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet tool install failed with exit code {install.ExitCode}:{Environment.NewLine}{install.All}");
            }
        }

        /// <inheritdoc/>
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
