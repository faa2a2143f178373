using System.Globalization;
using Microsoft.CodeAnalysis;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>The rules about file names, numbering and headers: each fails on its line, and the fixed file passes.</summary>
public sealed class FileRuleTests
{
    private static readonly (string Path, string Text) Second = SqlFiles.Migration(2, "add_nickname", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", timeouts: true);

    [Fact]
    public void ROS0001_a_file_name_off_the_grammar_fails_on_its_first_line()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, ("execution/migrations/02_Add-Nickname.sql", Second.Text));

        Assert.Equal(["ROS0001@1"], outcome.Found("ROS0001"));
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Second).Diagnostics);
    }

    [Fact]
    public void ROS0002_a_reused_number_fails_on_the_second_file()
    {
        var twin = SqlFiles.Migration(2, "add_title", "ALTER TABLE accounts ADD COLUMN title TEXT;", timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Second, twin);

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id == "ROS0002");
        Assert.Equal("/project/execution/migrations/002_add_title.sql", diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public void ROS0003_a_gap_fails_on_the_file_after_it()
    {
        var third = SqlFiles.Migration(3, "add_title", "ALTER TABLE accounts ADD COLUMN title TEXT;", timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, third);

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id == "ROS0003");
        Assert.Equal("/project/execution/migrations/003_add_title.sql", diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Second, third).Diagnostics);
    }

    [Fact]
    public void ROS0004_a_missing_header_line_fails_on_the_header()
    {
        var text = Second.Text.Replace("-- Description: A migration for a test.\n", string.Empty, StringComparison.Ordinal);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, (Second.Path, text));

        Assert.Equal(["ROS0004@1"], outcome.Found("ROS0004"));
        Assert.Contains("'-- Description:'", Message(outcome, "ROS0004"), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0005_a_header_naming_another_version_fails_on_that_line()
    {
        var text = Second.Text.Replace("-- Migration: 002_add_nickname", "-- Migration: 002_add_nick", StringComparison.Ordinal);

        Assert.Equal(["ROS0005@1"], GeneratorHarness.Run(SqlFiles.BaseSchema, (Second.Path, text)).Found("ROS0005"));
    }

    [Fact]
    public void ROS0006_an_empty_description_fails_on_its_line()
    {
        var text = Second.Text.Replace("-- Description: A migration for a test.", "-- Description:", StringComparison.Ordinal);

        Assert.Equal(["ROS0006@2"], GeneratorHarness.Run(SqlFiles.BaseSchema, (Second.Path, text)).Found("ROS0006"));
    }

    [Theory]
    [InlineData("29/12/2025")]
    [InlineData("2025-12-29T00:00:00")]
    [InlineData("2025-12-29T00:00:00+01:00")]
    [InlineData("2025-13-29T00:00:00Z")]
    public void ROS0007_a_created_time_that_is_not_ISO_8601_UTC_fails_on_its_line(string created)
    {
        var text = Second.Text.Replace("2025-01-02T00:00:00Z", created, StringComparison.Ordinal);

        Assert.Equal(["ROS0007@3"], GeneratorHarness.Run(SqlFiles.BaseSchema, (Second.Path, text)).Found("ROS0007"));
    }

    [Fact]
    public void ROS0008_a_migration_created_after_the_next_one_fails_on_its_created_line()
    {
        var first = (SqlFiles.BaseSchema.Path, SqlFiles.BaseSchema.Text.Replace("2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z", StringComparison.Ordinal));

        var outcome = GeneratorHarness.Run(first, Second);

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id == "ROS0008");
        Assert.Equal(("/project/" + SqlFiles.BaseSchema.Path, 2), (diagnostic.Location.GetLineSpan().Path, diagnostic.Location.GetLineSpan().StartLinePosition.Line));
    }

    [Fact]
    public void ROS0009_a_migration_without_an_up_line_fails()
    {
        var text = Second.Text.Replace("-- Up Migration\n", string.Empty, StringComparison.Ordinal);

        Assert.Equal(["ROS0009@1"], GeneratorHarness.Run(SqlFiles.BaseSchema, (Second.Path, text)).Found("ROS0009"));
    }

    [Fact]
    public void ROS0010_an_unknown_header_key_fails_on_its_line()
    {
        var migration = SqlFiles.Migration(2, "add_nickname", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", timeouts: true, header: "-- Author: someone");

        Assert.Equal(["ROS0010@6"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0010"));
    }

    [Theory]
    [InlineData("-- Transaction: sometimes")]
    [InlineData("-- Lock-Timeout: soon")]
    [InlineData("-- Statement-Timeout: 0ms")]
    [InlineData("-- Imported-From: diesel")]
    [InlineData("-- Imported-From: diesel 20190223172340 create_users")]
    public void ROS0011_a_malformed_directive_fails_on_its_line(string directive)
    {
        var migration = SqlFiles.Migration(2, "add_nickname", "SELECT 1;", header: directive);

        Assert.Equal(["ROS0011@4"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0011"));
    }

    [Fact]
    public void ROS0012_a_migration_without_a_down_section_is_a_warning_on_its_up_line()
    {
        var text = Second.Text[..Second.Text.IndexOf("-- Down Migration", StringComparison.Ordinal)];

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, (Second.Path, text));

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0012", DiagnosticSeverity.Warning, 6), (diagnostic.Id, diagnostic.Severity, diagnostic.Location.GetLineSpan().StartLinePosition.Line));
    }

    [Fact]
    public void ROS0013_a_seed_without_environment_fails_on_its_header()
    {
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO accounts (id) VALUES ('6f1c2a52-0000-4000-8000-000000000001') ON CONFLICT DO NOTHING;");
        var text = seed.Text.Replace("-- Environment: development, test\n", string.Empty, StringComparison.Ordinal);

        Assert.Equal(["ROS0013@1"], GeneratorHarness.Run(SqlFiles.BaseSchema, (seed.Path, text)).Found("ROS0013"));
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, seed).Diagnostics);
    }

    [Theory]
    [InlineData("development, production")]
    [InlineData("staging")]
    public void ROS0014_a_seed_naming_an_unknown_or_production_environment_fails(string environments)
    {
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO accounts (id) VALUES ('6f1c2a52-0000-4000-8000-000000000001') ON CONFLICT DO NOTHING;", environments);

        Assert.Equal(["ROS0014@3"], GeneratorHarness.Run(SqlFiles.BaseSchema, seed).Found("ROS0014"));
    }

    private static string Message(GeneratorRunOutcome outcome, string id) =>
        outcome.Diagnostics.First(d => d.Id == id).GetMessage(CultureInfo.InvariantCulture);
}
