using System.Globalization;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Seeds and migrations are checked against the schema the earlier migrations build (ROS0015–ROS0017): each
/// fails on the offending token's line, passes when fixed, and can be excused with a reasoned opt-out.
/// </summary>
public sealed class SeedAndReferenceRuleTests
{
    private const string Insert = "INSERT INTO accounts (id, email) VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'a@example.com')";

    [Fact]
    public void ROS0015_a_seed_insert_without_on_conflict_fails_on_its_line()
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Seed(1, "admin", Insert + ";"));

        Assert.Equal(["ROS0015@5"], outcome.Found("ROS0015"));
    }

    [Fact]
    public void ROS0015_passes_with_on_conflict_and_can_be_excused()
    {
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Seed(1, "admin", Insert + " ON CONFLICT (id) DO NOTHING;")).Diagnostics);
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Seed(1, "admin", "-- referralos:allow ROS0015 because the table is truncated first\n" + Insert + ";")).Diagnostics);
    }

    [Fact]
    public void ROS0016_a_seed_inserting_into_a_table_no_migration_creates_fails_on_the_table_name()
    {
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO acounts (id)\nVALUES ('6f1c2a52-0000-4000-8000-000000000001') ON CONFLICT DO NOTHING;");

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, seed);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ROS0016", diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((4, 12, 4, 19), (span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character));
    }

    [Fact]
    public void ROS0016_a_migration_using_a_table_only_a_later_migration_creates_fails()
    {
        var early = SqlFiles.Migration(2, "index_invoices", "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_invoices_total ON invoices (total);", timeouts: true, transactionNone: true);
        var late = SqlFiles.Migration(3, "create_invoices", "CREATE TABLE invoices (id UUID PRIMARY KEY, total INT);");

        Assert.Equal(["ROS0016@9"], GeneratorHarness.Run(SqlFiles.BaseSchema, early, late).Found("ROS0016"));
    }

    [Fact]
    public void ROS0016_passes_once_the_table_exists_and_can_be_excused()
    {
        var seed = SqlFiles.Seed(1, "extension_rows", "-- referralos:allow ROS0016 because the table comes from an extension\nINSERT INTO spatial_ref_sys (srid) VALUES (1) ON CONFLICT DO NOTHING;");

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, seed).Diagnostics);
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Seed(1, "admin", Insert + " ON CONFLICT (id) DO NOTHING;")).Diagnostics);
    }

    [Fact]
    public void ROS0017_a_column_no_migration_creates_fails_on_the_column_name()
    {
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO accounts (id,\n  emial) VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'a@example.com') ON CONFLICT DO NOTHING;");

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, seed);

        Assert.Equal(["ROS0017@6"], outcome.Found("ROS0017"));
        Assert.Contains("'emial'", outcome.Diagnostics.Single().GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0017_a_column_added_by_a_later_migration_is_known_to_seeds_and_can_be_excused()
    {
        var add = SqlFiles.Migration(2, "add_nickname", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", timeouts: true);
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO accounts (id, nickname) VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'root') ON CONFLICT DO NOTHING;");
        var excused = SqlFiles.Seed(1, "admin", "-- referralos:allow ROS0017 because a trigger adds it\nINSERT INTO accounts (id, nickname) VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'root') ON CONFLICT DO NOTHING;");

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, add, seed).Diagnostics);
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, excused).Diagnostics);
    }

    [Fact]
    public void A_renamed_column_is_known_by_its_new_name_only()
    {
        var rename = SqlFiles.Migration(2, "rename_name", "-- referralos:allow ROS0105 because nothing reads it yet\nALTER TABLE accounts RENAME COLUMN name TO full_name;", timeouts: true);
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO accounts (id, name) VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'x') ON CONFLICT DO NOTHING;");

        Assert.Equal(["ROS0017@5"], GeneratorHarness.Run(SqlFiles.BaseSchema, rename, seed).Found("ROS0017"));
    }
}
