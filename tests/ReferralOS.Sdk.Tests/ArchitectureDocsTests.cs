using System.Text.RegularExpressions;

namespace ReferralOS.Sdk.Tests;

/// <summary>docs/architecture.md stays true: every file and folder it names exists, and it names every src project.</summary>
public sealed partial class ArchitectureDocsTests
{
    [Fact]
    public void Every_path_it_names_exists()
    {
        var root = SourceLayoutTests.RepositoryRoot();
        var text = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));

        var missing = RepositoryPath().Matches(text)
            .Select(match => match.Groups["path"].Value)
            .Where(path => !path.Contains('<', StringComparison.Ordinal) && !path.Contains('{', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Where(path => !File.Exists(Path.Combine(root, path)) && !Directory.Exists(Path.Combine(root, path)))
            .ToArray();

        Assert.True(missing.Length == 0, "docs/architecture.md names paths that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void It_names_every_src_project()
    {
        var root = SourceLayoutTests.RepositoryRoot();
        var text = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));

        var unnamed = Directory.EnumerateDirectories(Path.Combine(root, "src"))
            .Select(Path.GetFileName)
            .Where(project => !text.Contains(project!, StringComparison.Ordinal)
                && !(project!.StartsWith("ReferralOS.Sdk.Testing.", StringComparison.Ordinal) && text.Contains("ReferralOS.Sdk.Testing.{", StringComparison.Ordinal)))
            .ToArray();

        Assert.True(unnamed.Length == 0, "docs/architecture.md does not say what these projects own: " + string.Join(", ", unnamed));
    }

    [GeneratedRegex(@"`(?<path>(?:src|tests|docs|benchmarks)/[^`\s]+?)/?`")]
    private static partial Regex RepositoryPath();
}
