using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>What docs/testing.md shows is code that compiles and passes here.</summary>
public sealed class DocsTests
{
    [Fact]
    public void The_testing_guide_shows_the_example_test_verbatim()
    {
        var root = RepositoryRoot();
        var example = File.ReadAllText(Path.Combine(root, "tests", "ReferralOS.Sdk.Testing.Tests", "Example", "TestReferrerTests.cs"));

        var guide = File.ReadAllText(Path.Combine(root, "docs", "testing.md"));

        Assert.Contains("```csharp\n" + example + "```", guide, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ReferralOS.Sdk.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ReferralOS.Sdk.sln above {AppContext.BaseDirectory}.");
    }
}
