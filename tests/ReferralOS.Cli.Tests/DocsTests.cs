using System.CommandLine;

namespace ReferralOS.Cli.Tests;

/// <summary>docs/cli.md keeps up with the command line: every command has its section, every option is described.</summary>
public sealed class DocsTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md"));

    public static TheoryData<string> Commands => [.. Tree().Where(c => c.Parent is null).Select(c => c.Command.Name)];

    public static TheoryData<string, string> Options => [.. Tree().SelectMany(c => c.Command.Options
        .Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--help")
        .Select(o => (c.Path, o.Name)))];

    [Theory]
    [MemberData(nameof(Commands))]
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

    /// <summary>Every command under the root, with the command above it (null for a top-level one) and its path, e.g. "local status".</summary>
    private static IEnumerable<(Command Command, Command? Parent, string Path)> Tree()
    {
        var root = CliApplication.Create(new CliContext(TextWriter.Null, TextWriter.Null, Path.GetTempPath(), _ => null, OutColour: false, ErrorColour: false));
        foreach (var command in root.Subcommands)
        {
            yield return (command, null, command.Name);
            foreach (var sub in command.Subcommands)
            {
                yield return (sub, command, command.Name + " " + sub.Name);
            }
        }
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
