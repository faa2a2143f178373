using System.Globalization;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Output;

namespace ReferralOS.Cli.Tests;

/// <summary>
/// One duration grammar: the same text is the same time in a migration's <c>-- Lock-Timeout:</c> header (read by the
/// build's generator) and in the CLI's <c>--lock-wait</c>, and a bare number is refused by both, in the same words.
/// </summary>
public sealed class DurationTests : IDisposable
{
    private const string NoUnit = "a number without a unit is milliseconds to PostgreSQL but seconds to most readers, so the unit is required: write 5s for seconds or 5ms for milliseconds";

    private static readonly (string Text, double Milliseconds)[] Durations =
    [
        ("1ms", 1),
        ("500ms", 500),
        ("0.5s", 500),
        ("1500us", 2),
        ("5s", 5_000),
        ("5 s", 5_000),
        ("1.5min", 90_000),
        ("2h", 7_200_000),
        ("1d", 86_400_000),
    ];

    private readonly string _folder = TestFolders.Create("referralos-durations");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_same_text_is_the_same_time_in_a_migration_header_and_in_lock_wait()
    {
        for (var i = 0; i < Durations.Length; i++)
        {
            WriteMigration(i + 1, Durations[i].Text);
        }

        var context = new CliContext(TextWriter.Null, TextWriter.Null, _folder, _ => null, OutColour: false, ErrorColour: false);
        var catalog = await ExecutionCatalog.ResolveAsync(Path.Combine(_folder, "execution"), context, new CliOutput(context), TestContext.Current.CancellationToken);

        for (var i = 0; i < Durations.Length; i++)
        {
            var (text, milliseconds) = Durations[i];
            var lockWait = CliApplication.Create(context).Parse(["migrate", "--lock-wait", text]);

            Assert.Empty(lockWait.Errors);
            Assert.Equal((text, TimeSpan.FromMilliseconds(milliseconds)), (text, catalog.Migrations[i].LockTimeout));
            Assert.Equal((text, TimeSpan.FromMilliseconds(milliseconds)), (text, lockWait.GetValue<TimeSpan?>("--lock-wait")));
        }
    }

    [Fact]
    public async Task A_bare_number_is_refused_in_a_header_and_in_lock_wait_with_the_same_reason()
    {
        WriteMigration(1, "5");

        var header = await CliRun.RunAsync("lint", "--execution", Path.Combine(_folder, "execution"));
        var lockWait = await CliRun.RunAsync("migrate", "--lock-wait", "5");

        Assert.Equal(ExitCodes.ValidationFailed, header.ExitCode);
        Assert.Contains(header.OutLines.Concat(header.ErrorLines), line => line.Contains("ROS0011", StringComparison.Ordinal) && line.Contains($"'Lock-Timeout: 5' is not valid: {NoUnit}", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Usage, lockWait.ExitCode);
        Assert.Contains($"--lock-wait is '5', which is not a duration: {NoUnit}.", lockWait.ErrorLines);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    public void Zero_is_none_on_the_command_line(string text)
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, _folder, _ => null, OutColour: false, ErrorColour: false);

        Assert.Equal(TimeSpan.Zero, CliApplication.Create(context).Parse(["migrate", "--lock-wait", text]).GetValue<TimeSpan?>("--lock-wait"));
    }

    private void WriteMigration(int number, string lockTimeout)
    {
        var migrations = Path.Combine(_folder, "execution", "migrations");
        Directory.CreateDirectory(migrations);
        var version = string.Create(CultureInfo.InvariantCulture, $"{number:000}_wait_{number}");
        File.WriteAllText(Path.Combine(migrations, version + ".sql"), string.Create(CultureInfo.InvariantCulture, $"""
            -- Migration: {version}
            -- Description: Waits {lockTimeout} for its locks
            -- Created: 2026-01-{number:00}T00:00:00Z
            -- Lock-Timeout: {lockTimeout}

            -- Up Migration
            SELECT {number};

            -- Down Migration (commented, for reference)
            -- SELECT {number};

            """));
    }
}
