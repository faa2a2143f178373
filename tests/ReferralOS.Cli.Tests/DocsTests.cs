namespace ReferralOS.Cli.Tests;

/// <summary>
/// The guides keep up with the command line: docs/cli.md has a section for every top-level command and describes
/// every option, and the tool's package README (src/ReferralOS.Cli/README.md, the page NuGet shows) names every
/// command and every option.
/// </summary>
public sealed class DocsTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md"));

    private static readonly string PackageReadme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "ReferralOS.Cli", "README.md"));

    public static TheoryData<string> TopLevelCommands => [.. CommandTree.All().Where(c => !c.Path.Contains(' ', StringComparison.Ordinal)).Select(c => c.Path)];

    public static TheoryData<string> Commands => CommandTree.Paths();

    public static TheoryData<string, string> Options => CommandTree.Options();

    [Theory]
    [MemberData(nameof(TopLevelCommands))]
    public void Every_command_has_a_section_in_the_cli_guide(string command)
    {
        Assert.Contains($"\n### {command}\n", Guide, StringComparison.Ordinal);
        Assert.Contains($"[{command}](#{command})", Guide, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_option_is_described_in_the_cli_guide(string command, string option)
    {
        Assert.True(Guide.Contains($"`{option}", StringComparison.Ordinal) || Guide.Contains($", {option}`", StringComparison.Ordinal), $"docs/cli.md does not describe {option} of '{command}'.");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_is_in_the_package_readme(string command)
    {
        Assert.True(PackageReadme.Contains($"| `{command}", StringComparison.Ordinal), $"src/ReferralOS.Cli/README.md has no row for '{command}' in its table of commands.");
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_option_is_in_the_package_readme(string command, string option)
    {
        Assert.True(PackageReadme.Contains($"`{option}", StringComparison.Ordinal), $"src/ReferralOS.Cli/README.md does not name {option} of '{command}'.");
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "docs", "cli.md")))
        {
            folder = folder.Parent;
        }

        return folder!.FullName;
    }
}
