using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Packaging.Tests;

/// <summary>
/// Real <c>dotnet build</c>s of a consumer of the packed ReferralOS.Sdk: each way .NET users configure a diagnostic
/// reaches the diagnostics in .sql files, and released migrations are history the lint leaves alone.
/// </summary>
public sealed class DiagnosticConfigurationTests(PackageFeed feed)
{
    /// <summary>ROS0115 and ROS0118, errors by default, on a released-looking table.</summary>
    private const string IndexWithoutTimeouts = """
        -- Migration: 003_index_widget_names
        -- Description: Index widgets by name
        -- Created: 2026-01-03T00:00:00Z

        -- Up Migration
        CREATE INDEX IF NOT EXISTS idx_widgets_name ON widgets (name);

        -- Down Migration (commented, for reference)
        -- DROP INDEX IF EXISTS idx_widgets_name;
        """;

    [Fact]
    public async Task Editorconfig_severities_apply_to_the_sql_files_from_the_project_s_file_and_one_beside_the_migrations()
    {
        var consumer = ConsumerProject.Create(feed, "EditorConfigInventory");
        consumer.AddMigration("003_index_widget_names.sql", IndexWithoutTimeouts);
        consumer.AddFile(".editorconfig", "root = true\n\n[*]\ndotnet_diagnostic.ROS0118.severity = warning\n");
        consumer.AddFile("execution/.editorconfig", "[*.sql]\ndotnet_diagnostic.ROS0115.severity = none\n");

        var build = await consumer.BuildAsync(feed);

        Assert.True(build.ExitCode == 0, build.All);
        Assert.Equal(["003_index_widget_names.sql: warning ROS0118"], ConsumerProject.Reported(build, "ROS0118"));
        Assert.Empty(ConsumerProject.Reported(build, "ROS0115"));
    }

    [Fact]
    public async Task Globalconfig_severities_apply_to_the_sql_files()
    {
        var consumer = ConsumerProject.Create(feed, "GlobalConfigInventory");
        consumer.AddMigration("003_index_widget_names.sql", IndexWithoutTimeouts);
        consumer.AddFile(".globalconfig", "is_global = true\ndotnet_diagnostic.ROS0118.severity = warning\ndotnet_diagnostic.ROS0115.severity = none\n");

        var build = await consumer.BuildAsync(feed);

        Assert.True(build.ExitCode == 0, build.All);
        Assert.Equal(["003_index_widget_names.sql: warning ROS0118"], ConsumerProject.Reported(build, "ROS0118"));
        Assert.Empty(ConsumerProject.Reported(build, "ROS0115"));
    }

    [Fact]
    public async Task NoWarn_silences_an_id_and_WarningsAsErrors_fails_the_build_on_a_warning()
    {
        var consumer = ConsumerProject.Create(feed, "NoWarnInventory", properties: "<NoWarn>$(NoWarn);ROS0115;ROS0118</NoWarn><WarningsAsErrors>$(WarningsAsErrors);ROS0012</WarningsAsErrors>");
        consumer.AddMigration("003_index_widget_names.sql", IndexWithoutTimeouts[..IndexWithoutTimeouts.IndexOf("\n\n-- Down", StringComparison.Ordinal)] + "\n");

        var build = await consumer.BuildAsync(feed);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(["003_index_widget_names.sql: error ROS0012"], ConsumerProject.Reported(build, "ROS0012"));
        Assert.Empty(ConsumerProject.Reported(build, "ROS0115"));
        Assert.Empty(ConsumerProject.Reported(build, "ROS0118"));
    }

    [Fact]
    public async Task A_project_whose_migrations_are_all_released_builds_clean_and_a_new_one_is_linted_as_before()
    {
        var consumer = ConsumerProject.Create(feed, "ReleasedInventory");
        consumer.AddMigration("003_legacy_codes.sql", Legacy("003_legacy_codes", "legacy_code", "2026-01-03"));
        consumer.AddFile("execution/migrations.lock", LockOf(consumer));
        var released = await consumer.BuildAsync(feed);

        consumer.AddMigration("004_legacy_codes_again.sql", Legacy("004_legacy_codes_again", "legacy_code_2", "2026-01-04"));
        var next = await consumer.BuildAsync(feed);

        Assert.True(released.ExitCode == 0, released.All);
        Assert.DoesNotContain(" ROS0", released.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, next.ExitCode);
        foreach (var id in new[] { "ROS0101", "ROS0106", "ROS0115", "ROS0118" })
        {
            Assert.Equal([$"004_legacy_codes_again.sql: error {id}"], ConsumerProject.Reported(next, id));
        }
    }

    [Fact]
    public async Task The_lint_runs_in_the_generator_so_a_build_without_analyzers_still_fails_on_an_unsafe_migration()
    {
        var consumer = ConsumerProject.Create(feed, "NoAnalyzersInventory");
        consumer.AddMigration("003_index_widget_names.sql", IndexWithoutTimeouts);

        var build = await consumer.BuildAsync(feed, "-p:RunAnalyzers=false");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(["003_index_widget_names.sql: error ROS0115"], ConsumerProject.Reported(build, "ROS0115"));
    }

    /// <summary>Years-old history: a column added NOT NULL, indexed without CONCURRENTLY, dropped, all without timeouts.</summary>
    private static string Legacy(string version, string column, string day) => $"""
        -- Migration: {version}
        -- Description: Add and drop a legacy code
        -- Created: {day}T00:00:00Z

        -- Up Migration
        ALTER TABLE widgets ADD COLUMN {column} TEXT NOT NULL;
        CREATE INDEX idx_widgets_{column} ON widgets ({column});
        ALTER TABLE widgets DROP COLUMN {column};

        -- Down Migration (commented, for reference)
        -- SELECT 1;
        """;

    /// <summary>The lock `referralos-db lock` would write for every migration the consumer has now.</summary>
    private static string LockOf(ConsumerProject consumer) => MigrationLockFile.Write(
        Directory.GetFiles(Path.Combine(consumer.ExecutionFolder, "migrations"), "*.sql")
            .Order(StringComparer.Ordinal)
            .Select(path => MigrationChecksum.FromFile(path, File.ReadAllText(path))!));
}
