using System.Xml.Linq;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The build hands the generator the files <c>ExecutionLayout</c> names, with the kinds it names: the
/// buildTransitive targets are MSBuild, so they cannot compile the shared file, and this test holds them to it.
/// </summary>
public sealed class ExecutionLayoutTests
{
    private static readonly XDocument Targets = XDocument.Load(GeneratorHarness.OutputFolder("buildTransitive/ReferralOS.Sdk.targets"));

    [Theory]
    [InlineData(ExecutionLayout.MigrationsFolder + "/*.sql", ExecutionLayout.MigrationKind)]
    [InlineData(ExecutionLayout.SeedsFolder + "/*.sql", ExecutionLayout.SeedKind)]
    [InlineData(ExecutionLayout.LockFile, ExecutionLayout.LockKind)]
    public void The_build_hands_the_generator_each_file_of_the_layout_with_its_kind(string file, string kind)
    {
        var items = Targets.Descendants("AdditionalFiles").Select(i => ((string?)i.Attribute("Include"), (string?)i.Attribute(ExecutionLayout.KindMetadata)));

        Assert.Contains(("$(ReferralOsExecutionDirectory)" + file, kind), items);
    }

    [Fact]
    public void The_build_hands_the_generator_the_editorconfig_files_as_analyzer_configs() =>
        Assert.Contains(Targets.Descendants("AdditionalFiles"), i => (string?)i.Attribute(ExecutionLayout.KindMetadata) == ExecutionLayout.AnalyzerConfigKind);

    [Fact]
    public void The_schema_folder_is_execution_unless_the_project_names_another()
    {
        var folder = Targets.Descendants("ReferralOsExecutionDirectory").First(p => ((string?)p.Attribute("Condition"))?.Contains("== ''", StringComparison.Ordinal) == true);

        Assert.Equal(ExecutionLayout.DefaultFolder, folder.Value);
        Assert.Equal("build_metadata.AdditionalFiles." + ExecutionLayout.KindMetadata, MigrationCatalogGenerator.KindMetadata);
    }

    [Theory]
    [InlineData("/repo/execution/migrations/001_a.sql", ExecutionLayout.MigrationKind)]
    [InlineData("/repo/db/Seeds/001_a.sql", ExecutionLayout.SeedKind)]
    [InlineData("/repo/db/001_a.sql", null)]
    public void A_file_without_kind_metadata_has_the_kind_of_its_folder(string path, string? kind) =>
        Assert.Equal(kind, ExecutionLayout.KindByFolder(path));
}
