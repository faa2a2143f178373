using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ReferralOS.Cli.Commands;

/// <summary>The standard <c>--help</c>, followed by the command's examples when it has some.</summary>
/// <param name="help">The standard help action.</param>
internal sealed class HelpWithExamplesAction(HelpAction help) : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is CommandDefinition { Examples.Count: > 0 } command)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in command.Examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return exitCode;
    }
}
