using System.Text.RegularExpressions;

namespace ReferralOS.Packaging.Tests;

/// <summary>
/// A fresh project outside the repository that references ReferralOS.Sdk from the test feed, with its own
/// execution/ folder and its own names for the generated classes: what a team adopting the package writes.
/// </summary>
internal sealed class ConsumerProject
{
    public const string Namespace = "Acme.Inventory";
    public const string SchemaClass = "InventorySchema";
    public const string SeedsClass = "InventorySeeds";
    public const string DemoWidgetId = "6f1c1f0e-5b0a-4c57-9f4e-2d9a1e0c7b11";

    private ConsumerProject(string folder, string executionFolder)
    {
        Folder = folder;
        ExecutionFolder = executionFolder;
    }

    public string Folder { get; }

    /// <summary>Where the project keeps its migrations and seeds.</summary>
    public string ExecutionFolder { get; }

    /// <summary>
    /// Writes the project: NuGet.config, project file, Program.cs and two migrations and one seed, under
    /// execution/ — or under another folder named by the ReferralOsExecutionDirectory property.
    /// </summary>
    /// <param name="feed">The test feed the project restores from.</param>
    /// <param name="name">The project's name and folder.</param>
    /// <param name="executionDirectory">The ReferralOsExecutionDirectory property, when not execution/.</param>
    /// <param name="properties">More MSBuild properties, as XML, e.g. <c>&lt;NoWarn&gt;ROS0118&lt;/NoWarn&gt;</c>.</param>
    public static ConsumerProject Create(PackageFeed feed, string name, string? executionDirectory = null, string properties = "")
    {
        var folder = Path.Combine(feed.Root, name);
        var execution = Path.Combine(folder, executionDirectory ?? "execution");
        var executionProperty = executionDirectory is null ? string.Empty : $"<ReferralOsExecutionDirectory>{executionDirectory}</ReferralOsExecutionDirectory>";
        Directory.CreateDirectory(Path.Combine(execution, "migrations"));
        Directory.CreateDirectory(Path.Combine(execution, "seeds"));
        var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        // The feed first; what the repository restored already is read from the user's packages folder as a
        // fallback, so the restore downloads nothing it need not and writes only to the isolated folder.
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="referralos-test-feed" value="{feed.Folder}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user-packages" value="{userPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ReferralOsNamespace>{Namespace}</ReferralOsNamespace>
                <ReferralOsSchemaClassName>{SchemaClass}</ReferralOsSchemaClassName>
                <ReferralOsSeedsClassName>{SeedsClass}</ReferralOsSeedsClassName>
                {executionProperty}
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ReferralOS.Sdk" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), $$"""
            using {{Namespace}};
            using Npgsql;
            using ReferralOS.Sdk;

            await using var dataSource = NpgsqlDataSource.Create(args[0]);
            var migrated = await {{SchemaClass}}.MigrateAsync(dataSource);
            var seeded = await {{SchemaClass}}.SeedAsync(dataSource, DatabaseEnvironment.Development);
            Console.WriteLine($"applied: {string.Join(", ", migrated.Applied.Select(m => m.Version))}");
            Console.WriteLine($"seeded: {seeded.RowsInserted}");
            Guid demoId = {{SeedsClass}}.DemoWidget.Id;
            string demoName = {{SeedsClass}}.DemoWidget.Name;
            Console.WriteLine($"demo widget: {demoId} {demoName}");
            """);
        File.WriteAllText(Path.Combine(execution, "migrations", "001_create_widgets.sql"), """
            -- Migration: 001_create_widgets
            -- Description: Create the widgets table
            -- Created: 2026-01-01T00:00:00Z

            -- Up Migration
            CREATE TABLE IF NOT EXISTS widgets (
              id UUID PRIMARY KEY,
              name VARCHAR(100) NOT NULL
            );

            -- Down Migration (commented, for reference)
            -- DROP TABLE IF EXISTS widgets;
            """);
        File.WriteAllText(Path.Combine(execution, "migrations", "002_add_widget_colour.sql"), """
            -- Migration: 002_add_widget_colour
            -- Description: Give widgets an optional colour
            -- Created: 2026-01-02T00:00:00Z
            -- Lock-Timeout: 5s
            -- Statement-Timeout: 1min

            -- Up Migration
            ALTER TABLE widgets ADD COLUMN IF NOT EXISTS colour TEXT;

            -- Down Migration (commented, for reference)
            -- ALTER TABLE widgets DROP COLUMN IF EXISTS colour;
            """);
        File.WriteAllText(Path.Combine(execution, "seeds", "001_demo_widgets.sql"), $"""
            -- Seed: 001_demo_widgets
            -- Description: One widget to play with
            -- Environment: development, test

            -- Seed-Row: DemoWidget
            INSERT INTO widgets (id, name)
            VALUES ('{DemoWidgetId}', 'Sprocket')
            ON CONFLICT (id) DO NOTHING;
            """);
        return new ConsumerProject(folder, execution);
    }

    /// <summary>Adds a file to the consumer's migrations folder.</summary>
    public void AddMigration(string fileName, string text) => File.WriteAllText(Path.Combine(ExecutionFolder, "migrations", fileName), text);

    /// <summary>Writes a file at a path relative to the project folder, e.g. ".editorconfig" or "execution/migrations.lock".</summary>
    public string AddFile(string relativePath, string text)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Builds the project with the isolated packages folder; no build server outlives the build.</summary>
    public Task<ProcessRun> BuildAsync(PackageFeed feed, params string[] arguments) =>
        ProcessRun.RunAsync("dotnet", ["build", Folder, "--disable-build-servers", "-nologo", "-v:q", "-clp:NoSummary", .. arguments], Folder, feed.Environment);

    /// <summary>The build's diagnostics for a ROS id, as "003_add_index.sql: warning ROS0118" (file name and severity), once each.</summary>
    public static IEnumerable<string> Reported(ProcessRun build, string id) => build.Out.Split('\n')
        .Select(line => Regex.Match(line, @"^\s*(?<file>[^(]+)\(\d+,\d+\): (?<severity>error|warning|info) (?<id>ROS\d{4}): "))
        .Where(match => match.Success && match.Groups["id"].Value == id)
        .Select(match => $"{Path.GetFileName(match.Groups["file"].Value)}: {match.Groups["severity"].Value} {id}")
        .Distinct()
        .Order(StringComparer.Ordinal);

    /// <summary>Runs the built program.</summary>
    public Task<ProcessRun> RunAsync(PackageFeed feed, params string[] args) =>
        ProcessRun.RunAsync("dotnet", ["run", "--project", Folder, "--no-build", "--", .. args], Folder, feed.Environment);
}
