using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>The Roslyn-free lock and checksum logic the build and the CLI share.</summary>
public sealed class MigrationLockFileTests
{
    private const string Text = "-- Migration: 001_a\n-- Description: x\n\n-- Up Migration\nSELECT 1;\n";

    [Fact]
    public void The_checksum_is_sha256_of_the_utf8_text_as_lower_case_hex()
    {
        // printf 'SELECT 1;\n' | sha256sum
        Assert.Equal("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", SqlFileChecksum.Compute("SELECT 1;\n"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", SqlFileChecksum.Compute(string.Empty));
    }

    [Fact]
    public void Checksums_are_identical_across_CRLF_LF_CR_and_BOM_checkouts()
    {
        var lf = SqlFileChecksum.Compute(Text);

        Assert.Equal(lf, SqlFileChecksum.Compute(Text.Replace("\n", "\r\n", StringComparison.Ordinal)));
        Assert.Equal(lf, SqlFileChecksum.Compute(Text.Replace("\n", "\r", StringComparison.Ordinal)));
        Assert.Equal(lf, SqlFileChecksum.Compute("\uFEFF" + Text));
        Assert.Equal(lf, SqlFileChecksum.Compute("\uFEFF" + Text.Replace("\n", "\r\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_Windows_checkout_of_execution_builds_with_the_same_checksums_and_no_diagnostics()
    {
        var files = GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution"))
            .Select(f => GeneratorHarness.Text(f.Path["/project/".Length..], "\uFEFF" + f.GetText(TestContext.Current.CancellationToken)!.ToString().Replace("\n", "\r\n", StringComparison.Ordinal)))
            .ToList();

        var windows = GeneratorHarness.Run(files);
        var linux = GeneratorHarness.Run(GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution")));

        Assert.Empty(windows.Diagnostics);
        Assert.Equal(Checksums(linux.Source("FixtureSchema.g.cs")), Checksums(windows.Source("FixtureSchema.g.cs")));
    }

    [Fact]
    public void The_committed_lock_file_is_exactly_what_the_lock_command_writes()
    {
        var folder = GeneratorHarness.OutputFolder("execution");
        var migrations = Directory.GetFiles(Path.Combine(folder, "migrations"), "*.sql").Select(p => MigrationChecksum.FromFile(p, File.ReadAllText(p))!);

        Assert.Equal(MigrationLockFile.Write(migrations), File.ReadAllText(Path.Combine(folder, MigrationLockFile.FileName)));
    }

    [Fact]
    public void Parse_reads_what_Write_writes()
    {
        var released = new[] { new MigrationChecksum("001_a", new string('a', 64)), new MigrationChecksum("002_b", new string('b', 64)) };

        var lockFile = MigrationLockFile.Parse(MigrationLockFile.Write(released).Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(released, lockFile.Entries.Select(e => new MigrationChecksum(e.Version, e.Checksum)));
        Assert.True(lockFile.SumMatches);
        Assert.Empty(lockFile.Errors);
    }

    [Fact]
    public void Two_branches_that_add_migrations_change_the_same_sum_line()
    {
        var common = new[] { new MigrationChecksum("001_a", new string('a', 64)) };
        var left = MigrationLockFile.Write([.. common, new MigrationChecksum("002_b", new string('b', 64))]).Split('\n');
        var right = MigrationLockFile.Write([.. common, new MigrationChecksum("002_c", new string('c', 64))]).Split('\n');
        var baseline = MigrationLockFile.Write(common).Split('\n');

        var sumLine = Array.FindIndex(baseline, l => l.StartsWith("sum ", StringComparison.Ordinal));
        Assert.NotEqual(baseline[sumLine], left[sumLine]);
        Assert.NotEqual(baseline[sumLine], right[sumLine]);
        Assert.NotEqual(left[sumLine], right[sumLine]);
    }

    [Fact]
    public void Update_adds_new_migrations_and_refuses_while_a_released_one_was_edited()
    {
        var lockFile = MigrationLockFile.Parse(MigrationLockFile.Write([new MigrationChecksum("001_a", new string('a', 64))]));

        var added = MigrationLockVerifier.Update(lockFile, [new MigrationChecksum("001_a", new string('a', 64)), new MigrationChecksum("002_b", new string('b', 64))]);
        var refused = MigrationLockVerifier.Update(lockFile, [new MigrationChecksum("001_a", new string('f', 64)), new MigrationChecksum("002_b", new string('b', 64))]);

        Assert.True(added.Succeeded);
        Assert.Equal(["002_b"], added.Added);
        Assert.Equal(2, MigrationLockFile.Parse(added.Text).Entries.Count);
        Assert.False(refused.Succeeded);
        var blocking = Assert.Single(refused.Blocking);
        Assert.Equal(MigrationLockFindingKind.Edited, blocking.Kind);
        Assert.Contains(new string('a', 64), blocking.ToString(), StringComparison.Ordinal);
        Assert.Contains(new string('f', 64), blocking.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyHistory_reports_applied_versions_whose_file_is_gone_or_differs()
    {
        var files = new[] { new MigrationChecksum("001_a", new string('a', 64)), new MigrationChecksum("002_b", new string('b', 64)) };
        var applied = new[] { new MigrationChecksum("001_a", new string('a', 64)), new MigrationChecksum("002_b", new string('e', 64)), new MigrationChecksum("003_c", new string('c', 64)) };

        var findings = MigrationLockVerifier.VerifyHistory(applied, files);

        Assert.Equal([(MigrationLockFindingKind.Edited, "002_b"), (MigrationLockFindingKind.Missing, "003_c")], findings.Select(f => (f.Kind, f.Version)));
    }

    private static string[] Checksums(string generated) =>
        generated.Split('\n').Where(l => l.TrimStart().StartsWith("checksum:", StringComparison.Ordinal)).ToArray();
}
