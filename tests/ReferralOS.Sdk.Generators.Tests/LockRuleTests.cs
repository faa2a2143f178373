using System.Globalization;
using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// execution/migrations.lock: a released migration that is edited, deleted or renamed fails the build naming both
/// checksums; a migration not released yet is information; a hand-edited or hand-merged lock fails on its sum.
/// </summary>
public sealed class LockRuleTests
{
    private static readonly (string Path, string Text) Second = SqlFiles.Migration(2, "add_nickname", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", timeouts: true);

    [Fact]
    public void ROS0020_editing_one_character_of_a_shipped_migration_fails_on_that_file_naming_both_checksums()
    {
        var files = GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution")).ToList();
        var original = files.Single(f => f.Path.EndsWith("002_create_tenants.sql", StringComparison.Ordinal));
        var text = original.GetText(TestContext.Current.CancellationToken)!.ToString();
        var edited = text.Replace("VARCHAR(63)", "VARCHAR(64)", StringComparison.Ordinal);
        files[files.IndexOf(original)] = GeneratorHarness.Text("execution/migrations/002_create_tenants.sql", edited);

        var diagnostic = Assert.Single(GeneratorHarness.Run(files).Diagnostics);

        Assert.Equal(("ROS0020", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal("/project/execution/migrations/002_create_tenants.sql", diagnostic.Location.GetLineSpan().Path);
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains(SqlFileChecksum.Compute(text), message, StringComparison.Ordinal);
        Assert.Contains(SqlFileChecksum.Compute(edited), message, StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0021_deleting_a_released_migration_fails_on_its_lock_line()
    {
        var lockFile = Lock(SqlFiles.BaseSchema, Second);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, lockFile);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0021", "/project/execution/migrations.lock", 7), (diagnostic.Id, diagnostic.Location.GetLineSpan().Path, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
    }

    [Fact]
    public void ROS0022_renaming_a_released_migration_fails_on_the_renamed_file()
    {
        var lockFile = Lock(SqlFiles.BaseSchema, Second);
        var renamed = ("execution/migrations/002_add_nick.sql", Second.Text);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, renamed, lockFile);

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id == "ROS0022");
        Assert.Equal("/project/execution/migrations/002_add_nick.sql", diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(outcome.Found("ROS0021"));
    }

    [Fact]
    public void ROS0023_a_migration_not_in_the_lock_yet_is_information_on_that_file()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Second, Lock(SqlFiles.BaseSchema));

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0023", DiagnosticSeverity.Info, "/project/" + Second.Path), (diagnostic.Id, diagnostic.Severity, diagnostic.Location.GetLineSpan().Path));
    }

    [Fact]
    public void A_released_schema_that_matches_its_lock_passes()
    {
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Second, Lock(SqlFiles.BaseSchema, Second)).Diagnostics);
    }

    [Fact]
    public void ROS0024_an_unreadable_lock_line_fails_on_that_line()
    {
        var (path, text) = Lock(SqlFiles.BaseSchema);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, (path, text + "<<<<<<< HEAD\n"));

        Assert.Equal(["ROS0024@7"], outcome.Found("ROS0024"));
    }

    [Fact]
    public void ROS0025_two_branches_merged_by_hand_fail_on_the_sum_line()
    {
        var third = SqlFiles.Migration(3, "add_title", "ALTER TABLE accounts ADD COLUMN title TEXT;", timeouts: true);
        var (path, text) = Lock(SqlFiles.BaseSchema, Second);
        var merged = text + third.Path.Split('/')[^1][..^4] + " " + SqlFileChecksum.Compute(third.Text) + "\n";

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Second, third, (path, merged));

        Assert.Equal(["ROS0025@5"], outcome.Found("ROS0025"));
    }

    [Fact]
    public void Without_a_lock_file_nothing_is_reported()
    {
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Second).Diagnostics);
    }

    private static (string Path, string Text) Lock(params (string Path, string Text)[] released) => SqlFiles.Lock(released);
}
