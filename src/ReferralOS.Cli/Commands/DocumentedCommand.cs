using System.CommandLine;

namespace ReferralOS.Cli.Commands;

/// <summary>A command whose <c>--help</c> ends with worked examples.</summary>
/// <param name="name">The command's name.</param>
/// <param name="description">What it does, shown first in its help.</param>
internal sealed class DocumentedCommand(string name, string description) : Command(name, description)
{
    /// <summary>Example command lines, each followed by what it does after a <c>#</c>.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];
}
