using System.Text.RegularExpressions;

namespace ReferralOS.Sdk.Tests;

/// <summary>How the source of the packages users call is laid out: one public type a file, the file named for it.</summary>
public sealed partial class SourceLayoutTests
{
    [Fact]
    public void Every_public_type_in_src_has_a_file_of_its_own_named_for_it()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        // Every src project, the generator included: its public types are the tool's and the tests' shared code.
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToArray();

        // File-scoped namespaces (IDE0161 is an error) put every top-level type at the start of a line; nested ones are indented.
        var misplaced = files
            .SelectMany(file => TopLevelPublicType().Matches(File.ReadAllText(file))
                .Select(match => (File: Path.GetRelativePath(src, file), Type: match.Groups["name"].Value, IsPartial: match.Value.Contains(" partial ", StringComparison.Ordinal))))
            .GroupBy(declared => declared.File)
            .Where(file => file.Count() > 1 || !IsNamedFor(file.Single().Type, file.Single().IsPartial, Path.GetFileName(file.Key)))
            .Select(file => $"{file.Key}: {string.Join(", ", file.Select(declared => declared.Type))}")
            .ToArray();

        Assert.NotEmpty(files);
        Assert.True(misplaced.Length == 0, "Give each public type a file of its own, named for it:\n" + string.Join('\n', misplaced));
    }

    /// <summary>A type's file is named for it; a part of a partial type may be <c>Type.Part.cs</c> (SchemaMigrator.Drift.cs).</summary>
    private static bool IsNamedFor(string type, bool isPartial, string fileName) =>
        fileName == type + ".cs" || (isPartial && fileName.StartsWith(type + ".", StringComparison.Ordinal));

    [GeneratedRegex(@"^public(?: [a-z]+)* (?:class|struct|record|interface|enum)(?: class| struct)? (?<name>\w+)(?=[\s<(:;{]|$)", RegexOptions.Multiline)]
    private static partial Regex TopLevelPublicType();

    internal static string RepositoryRoot()
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
