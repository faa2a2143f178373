using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using ReferralOS.Cli.Commands;
using ReferralOS.Cli.Commands.Baseline;
using ReferralOS.Cli.Commands.Drift;
using ReferralOS.Cli.Commands.Explain;
using ReferralOS.Cli.Commands.Stats;
using ReferralOS.Cli.Commands.Import;
using ReferralOS.Cli.Commands.Lint;
using ReferralOS.Cli.Commands.Local;
using ReferralOS.Cli.Commands.Lock;
using ReferralOS.Cli.Commands.Migrate;
using ReferralOS.Cli.Commands.Repair;
using ReferralOS.Cli.Commands.Reset;
using ReferralOS.Cli.Commands.Rollback;
using ReferralOS.Cli.Commands.Seed;
using ReferralOS.Cli.Commands.Status;
using ReferralOS.Cli.Commands.Verify;

namespace ReferralOS.Cli;

/// <summary>The <c>referralos-db</c> command line: its commands, and running one.</summary>
internal static class CliApplication
{
    /// <summary>Builds the command tree; each command is a definition and a handler in its own folder under Commands/.</summary>
    /// <param name="context">The console and environment the commands use.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand(
            "referralos-db: migrate, seed, reset, roll back, verify and inspect the ReferralOS PostgreSQL schema. " +
            $"Given no --connection and no ${CliContext.DatabaseUrlVariable}, every command uses an embedded PostgreSQL " +
            "it starts from this machine's binaries in .referralos/ under the working directory.");
        root.Subcommands.Add(new MigrateCommandDefinition(context));
        root.Subcommands.Add(new SeedCommandDefinition(context));
        root.Subcommands.Add(new ResetCommandDefinition(context));
        root.Subcommands.Add(new RollbackCommandDefinition(context));
        root.Subcommands.Add(new StatusCommandDefinition(context));
        root.Subcommands.Add(new DriftCommandDefinition(context));
        root.Subcommands.Add(new ExplainCommandDefinition(context));
        root.Subcommands.Add(new StatsCommandDefinition(context));
        root.Subcommands.Add(new VerifyCommandDefinition(context));
        root.Subcommands.Add(new LockCommandDefinition(context));
        root.Subcommands.Add(new LintCommandDefinition(context));
        root.Subcommands.Add(new ImportCommandDefinition(context));
        root.Subcommands.Add(new BaselineCommandDefinition(context));
        root.Subcommands.Add(new RepairCommandDefinition(context));
        root.Subcommands.Add(new LocalCommandDefinition(context));

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpWithExamplesAction((HelpAction)help.Action!);
        }

        return root;
    }

    /// <summary>Parses the arguments and runs the command they name.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="context">The console and environment to use.</param>
    /// <param name="cancellationToken">Stops the command; Ctrl+C does too when the context handles termination.</param>
    /// <returns>The process exit code; see <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parseResult = Create(context).Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = context.HandlesTermination ? TimeSpan.FromSeconds(5) : null,
        };
        if (parseResult.Action is not ParseErrorAction parseError)
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }

        // The mistake and where to look, rather than the whole help page; and the conventional 2, not 1.
        parseError.ShowHelp = false;
        await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        context.Error.WriteLine($"Run '{CommandPath(parseResult.CommandResult)} --help' for its options and examples.");
        return ExitCodes.Usage;
    }

    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : "referralos-db";
}
