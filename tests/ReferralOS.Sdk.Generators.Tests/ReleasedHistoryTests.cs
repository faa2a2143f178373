using System.Globalization;
using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Diagnostics;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Released history is history: a migration that migrations.lock lists has run and cannot change, so the
/// unsafe-operation lint (ROS01xx) and the schema references (ROS0016, ROS0017) do not report on it. File, numbering, header and lock checks still cover every
/// file, and a migration after the released ones is linted exactly as before.
/// </summary>
public sealed class ReleasedHistoryTests
{
    /// <summary>Every unsafe-operation id, each once, in a migration with no timeouts: what years of history look like.</summary>
    private static readonly (string Path, string Text) Legacy = SqlFiles.Migration(2, "legacy_changes", """
        ALTER TABLE accounts DROP COLUMN name;
        ALTER TABLE accounts RENAME COLUMN email TO mail;
        ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL;
        ALTER TABLE accounts ADD COLUMN token UUID DEFAULT gen_random_uuid();
        ALTER TABLE accounts ADD COLUMN mail_lower TEXT GENERATED ALWAYS AS (lower(mail)) STORED;
        ALTER TABLE accounts ADD CONSTRAINT accounts_team_fkey FOREIGN KEY (team_id) REFERENCES teams (id);
        ALTER TABLE accounts ADD CONSTRAINT accounts_plan_check CHECK (plan <> '');
        ALTER TABLE accounts ADD CONSTRAINT accounts_mail_key UNIQUE (mail);
        CREATE INDEX idx_accounts_plan ON accounts (plan);
        DROP INDEX idx_accounts_legacy;
        CREATE INDEX CONCURRENTLY idx_accounts_mail ON accounts (mail);
        -- referralos:allow ROS0101
        ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_x CHECK (plan <> 'x') NOT VALID;
        ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_not_x;
        ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;
        ALTER TABLE accounts ALTER COLUMN team_id TYPE TEXT;
        ALTER TABLE teams RENAME TO squads;
        DROP TABLE squads;
        DROP SCHEMA legacy CASCADE;
        """);

    private static readonly string[] LintIds = DiagnosticDescriptors.Descriptors
        .Where(d => d.Category == "ReferralOS.Safety")
        .Select(d => d.Id)
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void The_legacy_migration_trips_every_unsafe_operation_id_when_it_is_new()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Legacy);

        Assert.Equal(LintIds, outcome.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_project_whose_every_migration_is_released_builds_with_no_diagnostic_and_no_opt_out()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Legacy, SqlFiles.Lock(SqlFiles.BaseSchema, Legacy));

        Assert.Empty(outcome.Diagnostics.Select(d => d.ToString()));
        Assert.DoesNotContain("because", Legacy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_migration_after_the_released_ones_is_linted_exactly_as_before()
    {
        var next = SqlFiles.Migration(3, "more_changes", "ALTER TABLE accounts DROP COLUMN mail_lower;\nCREATE INDEX idx_accounts_token ON accounts (token);");
        var released = SqlFiles.Lock(SqlFiles.BaseSchema, Legacy);

        var unlocked = GeneratorHarness.Run(SqlFiles.BaseSchema, Legacy, next);
        var afterRelease = GeneratorHarness.Run(SqlFiles.BaseSchema, Legacy, next, released);

        Diagnostic[] Next(GeneratorRunOutcome outcome) => outcome.Diagnostics
            .Where(d => d.Location.GetLineSpan().Path.EndsWith(next.Path, StringComparison.Ordinal))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(["ROS0023", "ROS0101", "ROS0115", "ROS0118"], Next(afterRelease).Select(d => d.Id));
        Assert.Equal(Next(unlocked).Select(d => d.ToString()), Next(afterRelease).Where(d => d.Id != "ROS0023").Select(d => d.ToString()));
    }

    [Fact]
    public void A_released_migration_still_gets_its_file_header_and_numbering_checks()
    {
        var withoutDown = (Path: "execution/migrations/003_no_down.sql", Text: SqlFiles.Migration(3, "no_down", "DROP TABLE IF EXISTS old_sessions;").Text.Split("\n-- Down")[0] + "\n");
        var afterGap = SqlFiles.Migration(5, "after_gap", "ALTER TABLE accounts DROP COLUMN team_id;");

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Legacy, withoutDown, afterGap, SqlFiles.Lock(SqlFiles.BaseSchema, Legacy, withoutDown, afterGap));

        Assert.Equal(["ROS0003 Error", "ROS0012 Warning"], outcome.Diagnostics.Select(d => $"{d.Id} {d.Severity}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_edited_released_migration_fails_with_ROS0020_and_is_still_not_linted()
    {
        var released = SqlFiles.Lock(SqlFiles.BaseSchema, Legacy);
        var edited = (Legacy.Path, Legacy.Text.Replace("DROP SCHEMA legacy CASCADE;", "DROP SCHEMA legacy CASCADE;\nDROP TABLE accounts;", StringComparison.Ordinal));

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, edited, released);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0020", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
    }

    /// <summary>lemmy's construct: a trigger on the history table of the tool that ran its migrations, which no migration creates.</summary>
    private static readonly (string Path, string Text) OnDieselsHistory = SqlFiles.Migration(2, "forbid_diesel_cli", """
        CREATE FUNCTION forbid_diesel_cli() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'migrations run through the new runner'; END $$;
        CREATE TRIGGER forbid_diesel_cli BEFORE INSERT ON __diesel_schema_migrations FOR EACH STATEMENT EXECUTE FUNCTION forbid_diesel_cli();
        """, timeouts: true);

    /// <summary>A column that was added by hand, outside the migrations, long before the history was adopted.</summary>
    private static readonly (string Path, string Text) OnAHandMadeColumn = SqlFiles.Migration(2, "index_legacy_code", """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_legacy_code ON accounts (legacy_code);
        """, timeouts: true, transactionNone: true);

    [Fact]
    public void ROS0016_is_not_reported_on_a_released_migration()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, OnDieselsHistory, SqlFiles.Lock(SqlFiles.BaseSchema, OnDieselsHistory));

        Assert.Empty(outcome.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void ROS0016_is_still_reported_on_a_migration_that_is_not_released()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, OnDieselsHistory, SqlFiles.Lock(SqlFiles.BaseSchema));

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id != "ROS0023");
        Assert.Equal(("ROS0016", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal("'__diesel_schema_migrations' is not a table that an earlier migration creates: create it in a migration numbered before this migration, or fix the name", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.EndsWith(OnDieselsHistory.Path, diagnostic.Location.GetLineSpan().Path, StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0017_is_not_reported_on_a_released_migration()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, OnAHandMadeColumn, SqlFiles.Lock(SqlFiles.BaseSchema, OnAHandMadeColumn));

        Assert.Empty(outcome.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void ROS0017_is_still_reported_on_a_migration_that_is_not_released()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, OnAHandMadeColumn, SqlFiles.Lock(SqlFiles.BaseSchema));

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id != "ROS0023");
        Assert.Equal(("ROS0017", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal("Table 'accounts' has no column 'legacy_code' in the migrations before this migration: add the column in an earlier migration, or fix the name", diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Only_the_released_files_are_history_not_everything_with_the_same_statements()
    {
        var copy = (Path: "execution/migrations/003_legacy_again.sql", Text: Legacy.Text.Replace("002_legacy_changes", "003_legacy_again", StringComparison.Ordinal).Replace("2025-01-02", "2025-01-03", StringComparison.Ordinal));

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Legacy, copy, SqlFiles.Lock(SqlFiles.BaseSchema, Legacy));

        Assert.All(outcome.Diagnostics, d => Assert.EndsWith(copy.Path, d.Location.GetLineSpan().Path, StringComparison.Ordinal));
        Assert.Contains(outcome.Diagnostics, d => d.Id == "ROS0118");
    }
}
