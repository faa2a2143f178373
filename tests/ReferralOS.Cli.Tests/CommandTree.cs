using System.CommandLine;

namespace ReferralOS.Cli.Tests;

/// <summary>The CLI's commands, found by walking the tree from the root: a new command is covered without being listed here.</summary>
internal static class CommandTree
{
    /// <summary>Every command under the root, at any depth, with its path, e.g. "migrate" or "local status".</summary>
    public static IEnumerable<(Command Command, string Path)> All()
    {
        var root = CliApplication.Create(new CliContext(TextWriter.Null, TextWriter.Null, Path.GetTempPath(), _ => null, OutColour: false, ErrorColour: false));
        return Under(root, prefix: null);
    }

    /// <summary>Every path, for a theory.</summary>
    public static TheoryData<string> Paths() => [.. All().Select(c => c.Path)];

    /// <summary>Every long option of every command (<c>--help</c> aside), with the command's path.</summary>
    public static TheoryData<string, string> Options() => [.. All().SelectMany(c => c.Command.Options
        .Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--help")
        .Select(o => (c.Path, o.Name)))];

    private static IEnumerable<(Command Command, string Path)> Under(Command parent, string? prefix)
    {
        foreach (var command in parent.Subcommands)
        {
            var path = prefix is null ? command.Name : prefix + " " + command.Name;
            yield return (command, path);
            foreach (var sub in Under(command, path))
            {
                yield return sub;
            }
        }
    }
}
