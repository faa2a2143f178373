using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Diagnostics;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>docs/diagnostics.md has a section for every id, with a bad and a good example, where each help link points.</summary>
public sealed class DiagnosticsDocumentationTests
{
    private static readonly string Document = File.ReadAllText(GeneratorHarness.OutputFolder("docs/diagnostics.md"));

    public static TheoryData<string> Ids => [.. DiagnosticDescriptors.Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_has_a_section_with_a_bad_and_a_good_example_and_a_row_in_the_table(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var section = Regex.Match(Document, $"^## {id}\\n(?<body>.*?)(?=^## |\\z)", RegexOptions.Multiline | RegexOptions.Singleline);

        Assert.True(section.Success, $"docs/diagnostics.md has no '## {id}' section");
        Assert.Contains("Bad", section.Groups["body"].Value, StringComparison.Ordinal);
        Assert.Contains("Good", section.Groups["body"].Value, StringComparison.Ordinal);
        Assert.Contains($"| [{id}](#{id.ToLowerInvariant()}) | {descriptor.DefaultSeverity} |", Document, StringComparison.Ordinal);
        Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_documented_id_exists()
    {
        var documented = Regex.Matches(Document, "^## (ROS[0-9]{4})$", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

        Assert.Equal(DiagnosticDescriptors.Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), documented);
    }
}
