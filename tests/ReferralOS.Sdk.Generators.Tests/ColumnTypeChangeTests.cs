using System.Globalization;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// ROS0109 knows the type changes that rewrite nothing, from the type the earlier migrations gave the column and the
/// PostgreSQL version the project declares; every other change on an existing table is reported, saying from what to what.
/// </summary>
public sealed class ColumnTypeChangeTests
{
    [Theory]
    [InlineData("VARCHAR(20)", "VARCHAR(50)")]
    [InlineData("VARCHAR(20)", "VARCHAR")]
    [InlineData("VARCHAR(20)", "TEXT")]
    [InlineData("CHARACTER VARYING(20)", "text")]
    [InlineData("TEXT", "VARCHAR")]
    [InlineData("NUMERIC(10, 2)", "NUMERIC(12, 2)")]
    [InlineData("NUMERIC(10, 2)", "NUMERIC")]
    [InlineData("NUMERIC(10)", "DECIMAL(12)")]
    [InlineData("CIDR", "INET")]
    [InlineData("TIMESTAMP(3)", "TIMESTAMP(6)")]
    [InlineData("TIMESTAMPTZ(3)", "TIMESTAMP WITH TIME ZONE")]
    [InlineData("BIT VARYING(5)", "VARBIT(10)")]
    [InlineData("INTEGER", "INT4")]
    [InlineData("XML", "TEXT")]
    public void A_change_that_rewrites_nothing_is_not_reported(string from, string to)
    {
        var outcome = Change(from, to);

        Assert.Empty(outcome.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("VARCHAR(50)", "VARCHAR(20)", "varchar(50)", "varchar(20)")]
    [InlineData("TEXT", "VARCHAR(50)", "text", "varchar(50)")]
    [InlineData("NUMERIC(10, 2)", "NUMERIC(12, 3)", "numeric(10,2)", "numeric(12,3)")]
    [InlineData("NUMERIC(10, 2)", "NUMERIC(8, 2)", "numeric(10,2)", "numeric(8,2)")]
    [InlineData("INTEGER", "BIGINT", "integer", "bigint")]
    [InlineData("INET", "CIDR", "inet", "cidr")]
    [InlineData("JSON", "JSONB", "json", "jsonb")]
    [InlineData("TIMESTAMP", "TIMESTAMPTZ", "timestamp", "timestamptz")]
    [InlineData("TIMESTAMP", "TIMESTAMP(3)", "timestamp", "timestamp(3)")]
    [InlineData("VARCHAR(10)[]", "VARCHAR(20)[]", "varchar(10)[]", "varchar(20)[]")]
    [InlineData("CHAR(5)", "CHAR(10)", "char(5)", "char(10)")]
    public void A_change_that_rewrites_the_table_is_reported_from_what_to_what(string from, string to, string spelledFrom, string spelledTo)
    {
        var outcome = Change(from, to);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0109", 8), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.StartsWith($"Changing the type of column 'c' of 'accounts' from {spelledFrom} to {spelledTo} can rewrite the table", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Before_PostgreSQL_10_every_change_counts_as_a_rewrite()
    {
        Assert.Equal(["ROS0109@8"], Change("VARCHAR(20)", "VARCHAR(50)", postgresVersion: "9").Found("ROS0109"));
        Assert.Empty(Change("VARCHAR(20)", "VARCHAR(50)", postgresVersion: "10").Found("ROS0109"));
    }

    [Theory]
    [InlineData("VARCHAR(50) USING c::varchar(50)")]
    [InlineData("VARCHAR(50) COLLATE \"C\"")]
    public void A_USING_or_COLLATE_clause_is_reported_whatever_the_types(string to)
    {
        var outcome = Change("VARCHAR(20)", to);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Contains("to varchar(50) with a USING or COLLATE clause", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_whose_type_the_migrations_do_not_say_is_reported()
    {
        var view = SqlFiles.Migration(2, "create_totals", "CREATE TABLE totals AS SELECT 1 AS c;");
        var change = SqlFiles.Migration(3, "widen_totals", "ALTER TABLE totals ALTER COLUMN c TYPE BIGINT;", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, view, change).Diagnostics);

        Assert.StartsWith("Changing the type of column 'c' of 'totals' to bigint can rewrite", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_follows_the_type_an_earlier_change_gave_the_column()
    {
        var add = SqlFiles.Migration(2, "add_c", "ALTER TABLE accounts ADD COLUMN c VARCHAR(20);", timeouts: true);
        var widen = SqlFiles.Migration(3, "widen_c", "ALTER TABLE accounts ALTER COLUMN c TYPE VARCHAR(50);", timeouts: true);
        var narrow = SqlFiles.Migration(4, "narrow_c", "ALTER TABLE accounts ALTER COLUMN c TYPE VARCHAR(40);", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, add, widen, narrow).Diagnostics);

        Assert.Contains("from varchar(50) to varchar(40)", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_on_a_column_added_earlier_in_the_same_file_is_checked_against_that_type()
    {
        var migration = SqlFiles.Migration(2, "add_and_widen", "ALTER TABLE accounts ADD COLUMN c VARCHAR(20);\nALTER TABLE accounts ALTER COLUMN c TYPE VARCHAR(50);", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);
    }

    private static GeneratorRunOutcome Change(string from, string to, string postgresVersion = "15")
    {
        var add = SqlFiles.Migration(2, "add_c", $"ALTER TABLE accounts ADD COLUMN c {from};", timeouts: true);
        var change = SqlFiles.Migration(3, "change_c", $"ALTER TABLE accounts ALTER COLUMN c TYPE {to};", timeouts: true);
        return GeneratorHarness.Run(new Dictionary<string, string> { ["ReferralOsPostgresVersion"] = postgresVersion }, SqlFiles.BaseSchema, add, change);
    }
}
