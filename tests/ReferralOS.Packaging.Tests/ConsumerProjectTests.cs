using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Packaging.Tests;

/// <summary>A project outside the repository, built from the packed ReferralOS.Sdk alone.</summary>
public sealed class ConsumerProjectTests(PackageFeed feed, PostgresServerFixture postgres)
{
    [Fact]
    public async Task A_consumer_gets_its_own_catalog_and_seeds_and_migrates_a_real_database()
    {
        var consumer = ConsumerProject.Create(feed, "Inventory");
        await using var database = await postgres.Server.CreateDatabaseAsync(new MigrationCatalog([], []), TestDatabaseOptions.Empty, TestContext.Current.CancellationToken);

        var build = await consumer.BuildAsync(feed);
        Assert.True(build.ExitCode == 0, build.All);
        var first = await consumer.RunAsync(feed, database.ConnectionString);
        var second = await consumer.RunAsync(feed, database.ConnectionString);

        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("applied: 001_create_widgets, 002_add_widget_colour", first.Out, StringComparison.Ordinal);
        Assert.Contains("seeded: 1", first.Out, StringComparison.Ordinal);
        Assert.Contains($"demo widget: {ConsumerProject.DemoWidgetId} Sprocket", first.Out, StringComparison.Ordinal);
        Assert.Contains("applied: " + Environment.NewLine, second.Out, StringComparison.Ordinal);
        Assert.Contains("seeded: 0", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_that_references_the_runtime_alone_gets_no_testing_kit_test_framework_or_local_server()
    {
        string[] forbidden = ["ReferralOS.Sdk.Testing", "ReferralOS.Sdk.Local", "xunit", "nunit", "MSTest", "Microsoft.VisualStudio.TestPlatform", "Testcontainers", "Docker.DotNet"];
        var consumer = ConsumerProject.Create(feed, "RuntimeOnly");

        var build = await consumer.BuildAsync(feed);

        Assert.True(build.ExitCode == 0, build.All);
        var output = Path.Combine(consumer.Folder, "bin", "Debug", "net10.0");
        var assemblies = Directory.EnumerateFiles(output, "*.dll").Select(Path.GetFileName).ToArray();
        var deps = File.ReadAllText(Path.Combine(output, "RuntimeOnly.deps.json"));
        Assert.Contains("ReferralOS.Sdk.dll", assemblies);
        Assert.Contains("Npgsql.dll", assemblies);
        foreach (var name in forbidden)
        {
            Assert.DoesNotContain(assemblies, assembly => assembly!.StartsWith(name, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(name, deps, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_badly_named_migration_in_a_folder_set_by_ReferralOsExecutionDirectory_fails_the_build_with_ROS0001_on_that_file()
    {
        var consumer = ConsumerProject.Create(feed, "BrokenInventory", executionDirectory: "database");
        consumer.AddMigration("3_add_prices.sql", """
            -- Migration: 3_add_prices
            -- Description: Add prices
            -- Created: 2026-01-03T00:00:00Z

            -- Up Migration
            ALTER TABLE widgets ADD COLUMN IF NOT EXISTS price NUMERIC(12, 2);
            """);

        var build = await consumer.BuildAsync(feed);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(build.Out.Split('\n'), line => line.Contains("/database/migrations/3_add_prices.sql", StringComparison.Ordinal) && line.Contains("error ROS0001", StringComparison.Ordinal));
    }
}
