using System.Reflection.Metadata;
using System.Xml.Linq;

namespace ReferralOS.Packaging.Tests;

/// <summary>What each package carries, read from the .nupkg and .snupkg files themselves.</summary>
public sealed class PackageContentTests(PackageFeed feed)
{
    public static TheoryData<string> PackageIds() => new(PackageFeed.PackageIds);

    /// <summary>What each library package may bring with it: the packages of this repository and the outside ones it runs on.</summary>
    private static readonly Dictionary<string, string[]> LibraryDependencies = new(StringComparer.Ordinal)
    {
        ["ReferralOS.Sdk"] = ["Npgsql", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Hosting.Abstractions"],
        ["ReferralOS.Sdk.Local"] = ["Npgsql"],
        ["ReferralOS.Sdk.Testing"] = ["ReferralOS.Sdk", "ReferralOS.Sdk.Local", "Testcontainers.PostgreSql"],
        ["ReferralOS.Sdk.Testing.Xunit"] = ["ReferralOS.Sdk.Testing", "xunit.v3.extensibility.core"],
        ["ReferralOS.Sdk.Testing.NUnit"] = ["ReferralOS.Sdk.Testing", "NUnit"],
        ["ReferralOS.Sdk.Testing.MSTest"] = ["ReferralOS.Sdk.Testing", "MSTest.TestFramework"],
    };

    public static TheoryData<string> LibraryIds() => new(LibraryDependencies.Keys);

    [Fact]
    public void The_sdk_package_carries_the_generator_as_an_analyzer_and_the_build_files_that_feed_it()
    {
        using var package = feed.Open("ReferralOS.Sdk");
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("analyzers/dotnet/cs/ReferralOS.Sdk.Generators.dll", entries);
        Assert.Contains("buildTransitive/ReferralOS.Sdk.props", entries);
        Assert.Contains("buildTransitive/ReferralOS.Sdk.targets", entries);
        Assert.Contains("lib/net10.0/ReferralOS.Sdk.dll", entries);
        Assert.Contains("lib/net10.0/ReferralOS.Sdk.xml", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        Assert.DoesNotContain(Dependencies(feed.Nuspec("ReferralOS.Sdk")), d => d.Id.Contains("Generators", StringComparison.Ordinal));
    }

    [Fact]
    public void The_schema_package_depends_on_the_runtime_without_its_generator_or_build_files()
    {
        using var package = feed.Open("ReferralOS.Schema");

        Assert.Contains(package.Entries, e => e.FullName == "lib/net10.0/ReferralOS.Schema.dll");
        var sdk = Assert.Single(Dependencies(feed.Nuspec("ReferralOS.Schema")), d => d.Id == "ReferralOS.Sdk");
        Assert.Equal(feed.Version, sdk.Version);
        Assert.Contains("Analyzers", sdk.Exclude, StringComparison.Ordinal);
        Assert.Contains("BuildTransitive", sdk.Exclude, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tool_package_is_a_dotnet_tool_named_referralos_db()
    {
        using var package = feed.Open("referralos-db");
        var settings = package.Entries.Single(e => e.FullName == "tools/net10.0/any/DotnetToolSettings.xml");
        using var stream = settings.Open();
        var command = XDocument.Load(stream).Descendants("Command").Single();

        Assert.Equal("referralos-db", command.Attribute("Name")?.Value);
        Assert.Equal("referralos-db.dll", command.Attribute("EntryPoint")?.Value);
        Assert.Equal("DotnetTool", Single(feed.Nuspec("referralos-db").Root!, "packageType").Attribute("name")?.Value);
    }

    [Theory]
    [MemberData(nameof(LibraryIds))]
    public void Each_library_package_depends_on_what_its_users_run_and_nothing_more(string id)
    {
        Assert.Equal(LibraryDependencies[id].Order(StringComparer.Ordinal), Dependencies(feed.Nuspec(id)).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_library_package_has_its_dependencies_written_down_here()
    {
        var libraries = PackageFeed.PackageIds.Where(id => id is not "referralos-db" and not "ReferralOS.Schema");

        Assert.Equal(libraries.Order(StringComparer.Ordinal), LibraryDependencies.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Every_package_has_a_readme_licence_repository_and_description(string id)
    {
        using var package = feed.Open(id);
        var nuspec = feed.Nuspec(id).Root!;

        Assert.Contains(package.Entries, e => e.FullName == "README.md");
        Assert.Equal("README.md", Single(nuspec, "readme").Value);
        Assert.Equal("MIT", Single(nuspec, "license").Value);
        Assert.False(string.IsNullOrWhiteSpace(Single(nuspec, "description").Value));
        var repository = Single(nuspec, "repository");
        Assert.Equal("https://github.com/referralos/referralos-sdk", repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Every_package_has_symbols_with_deterministic_source_paths(string id)
    {
        using var symbols = feed.Open(id, "snupkg");
        var pdbs = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(pdbs);
        foreach (var pdb in pdbs)
        {
            using var stream = new MemoryStream();
            using (var entry = pdb.Open())
            {
                entry.CopyTo(stream);
            }

            stream.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
            var reader = provider.GetMetadataReader();
            var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToArray();
            Assert.NotEmpty(documents);
            Assert.All(documents, path => Assert.StartsWith("/_/", path, StringComparison.Ordinal));
        }
    }

    /// <summary>The one element of a name in a nuspec, whichever nuspec schema version the package uses.</summary>
    private static XElement Single(XElement nuspec, string localName) => nuspec.Descendants().Single(e => e.Name.LocalName == localName);

    private static IEnumerable<(string Id, string Version, string Exclude)> Dependencies(XDocument nuspec) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (e.Attribute("id")!.Value, e.Attribute("version")!.Value, e.Attribute("exclude")?.Value ?? string.Empty));
}
