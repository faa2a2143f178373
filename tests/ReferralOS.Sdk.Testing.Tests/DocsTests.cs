using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>What docs/testing.md shows is code that compiles and passes here (the NUnit and MSTest examples in their own test projects).</summary>
public sealed class DocsTests
{
    [Theory]
    [InlineData("ReferralOS.Sdk.Testing.Tests/Example")]
    [InlineData("ReferralOS.Sdk.Testing.NUnit.Example")]
    [InlineData("ReferralOS.Sdk.Testing.MSTest.Example")]
    public void The_testing_guide_shows_each_adapter_s_example_test_verbatim(string folder)
    {
        var root = RepositoryRoot();
        var example = File.ReadAllText(Path.Combine(root, "tests", folder, "TestReferrerTests.cs"));

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
