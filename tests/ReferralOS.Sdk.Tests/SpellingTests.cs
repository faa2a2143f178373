namespace ReferralOS.Sdk.Tests;

/// <summary>One spelling of each name the code and the docs share, so that a search finds every place.</summary>
public sealed class SpellingTests
{
    private static readonly string[] Folders = ["src", "tests", "docs", "benchmarks"];

    [Fact]
    public void Catalog_is_spelled_one_way()
    {
        var root = SourceLayoutTests.RepositoryRoot();
        var separator = Path.DirectorySeparatorChar;
        var misspelled = Folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "README.md"))
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".md", StringComparison.Ordinal) || file.EndsWith(".txt", StringComparison.Ordinal))
            .Where(file => !file.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !file.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !file.Contains("BenchmarkDotNet.Artifacts", StringComparison.Ordinal) && Path.GetFileName(file) != nameof(SpellingTests) + ".cs")
            .Where(file => File.ReadAllText(file).Contains("catalogue", StringComparison.OrdinalIgnoreCase))
            .Select(file => Path.GetRelativePath(root, file))
            .ToArray();

        Assert.True(misspelled.Length == 0, "Write 'catalog', as the type names do:\n" + string.Join('\n', misspelled));
    }
}
