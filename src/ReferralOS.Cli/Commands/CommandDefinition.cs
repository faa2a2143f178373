using System.CommandLine;
using ReferralOS.Cli.Output;

namespace ReferralOS.Cli.Commands;

/// <summary>
/// A command as the command line defines it — name, description, arguments, options (the shared ones made by
/// <see cref="CommonOptions"/>), validators, and the examples its <c>--help</c> ends with — and which handler does its
/// work. A command is a definition (<c>Commands/&lt;Name&gt;/&lt;Name&gt;CommandDefinition.cs</c>) and an
/// <see cref="ICommandHandler"/> (<c>&lt;Name&gt;Command.cs</c>) beside it, added to the tree in <see cref="CliApplication.Create"/>.
/// </summary>
/// <param name="name">The command's name.</param>
/// <param name="description">What it does, shown first in its help.</param>
internal abstract class CommandDefinition(string name, string description) : Command(name, description)
{
    /// <summary>Example command lines, each followed by what it does after a <c>#</c>; every command has some.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>
    /// Makes a handler for each invocation and runs it; whatever it throws becomes one message on standard error and
    /// its exit code (<see cref="CommandInvocation"/>).
    /// </summary>
    /// <param name="context">The console and environment.</param>
    /// <param name="handler">Makes the handler from the parsed command line and the output it writes to.</param>
    /// <param name="documentToOut">The options that make the command write a document (JSON, SQL, Markdown) to standard output, when it has any.</param>
    protected void SetHandler(CliContext context, Func<ParseResult, CliOutput, ICommandHandler> handler, params Option<bool>[] documentToOut) =>
        SetHandler(context, handler, parse => documentToOut.Any(parse.GetValue));

    /// <summary>As <see cref="SetHandler(CliContext, Func{ParseResult, CliOutput, ICommandHandler}, Option{bool}[])"/>, for a command whose only output is a document.</summary>
    /// <param name="context">The console and environment.</param>
    /// <param name="handler">Makes the handler from the parsed command line and the output it writes to.</param>
    protected void SetDocumentHandler(CliContext context, Func<ParseResult, CliOutput, ICommandHandler> handler) =>
        SetHandler(context, handler, _ => true);

    private void SetHandler(CliContext context, Func<ParseResult, CliOutput, ICommandHandler> handler, Func<ParseResult, bool> documentToOut) =>
        SetAction((parse, cancellationToken) =>
        {
            var output = new CliOutput(context, documentToOut: documentToOut(parse));
            return CommandInvocation.RunAsync(output, ct => handler(parse, output).RunAsync(ct), cancellationToken);
        });
}
