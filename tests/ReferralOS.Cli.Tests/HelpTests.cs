using ReferralOS.Cli.Commands;

namespace ReferralOS.Cli.Tests;

/// <summary>Every command explains itself with <c>--help</c>, and a command line the CLI cannot read exits 2.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Commands => CommandTree.Paths();

    [Fact]
    public void The_walk_of_the_command_tree_reaches_the_subcommands()
    {
        // The walk is what the help and docs tests trust to find every command.
        var paths = CommandTree.All().Select(c => c.Path).ToArray();

        Assert.Contains("migrate", paths);
        Assert.Contains("local status", paths);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_is_a_definition_with_a_description_and_examples(string command)
    {
        var definition = Assert.IsAssignableFrom<CommandDefinition>(CommandTree.All().Single(c => c.Path == command).Command);

        Assert.False(string.IsNullOrWhiteSpace(definition.Description), $"'{command}' has no description.");
        Assert.NotEmpty(definition.Examples);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help_with_examples(string command)
    {
        var run = await CliRun.RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        var examples = run.OutLines.SkipWhile(line => line != "Examples:").Skip(1).ToArray();
        Assert.NotEmpty(examples);
        Assert.All(examples, example => Assert.StartsWith($"referralos-db {command}", example, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_option_exits_with_the_usage_code_and_points_at_help()
    {
        var run = await CliRun.RunAsync("migrate", "--no-such-option");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Run 'referralos-db migrate --help' for its options and examples.", run.ErrorLines);
        Assert.DoesNotContain("Usage:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_that_does_not_exist_exits_with_the_usage_code_and_names_the_choices()
    {
        var run = await CliRun.RunAsync("migrate", "--environment", "staging");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--environment is 'staging', which is not an environment: use development, test or production.", run.ErrorLines);
    }
}
