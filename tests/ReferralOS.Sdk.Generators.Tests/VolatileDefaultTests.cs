using System.Globalization;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// ROS0107 follows a DEFAULT through the functions the migrations create: a function that says neither IMMUTABLE
/// nor STABLE is VOLATILE, is evaluated for every existing row, and so rewrites the table. A function no migration
/// creates (an extension's, a built-in other than the known volatile ones) cannot be judged and is not reported.
/// </summary>
public sealed class VolatileDefaultTests
{
    private static (string Path, string Text) Function(string volatility) => SqlFiles.Migration(
        2,
        "create_new_code",
        $"CREATE OR REPLACE FUNCTION new_code() RETURNS text LANGUAGE sql {volatility} AS $$ SELECT md5(random()::text) $$;");

    private static readonly (string Path, string Text) AddColumn =
        SqlFiles.Migration(3, "add_code", "ALTER TABLE accounts ADD COLUMN code TEXT DEFAULT new_code();", timeouts: true);

    [Theory]
    [InlineData("")]
    [InlineData("VOLATILE")]
    public void A_default_calling_a_function_the_migrations_create_volatile_is_reported(string volatility)
    {
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, Function(volatility), AddColumn);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0107", SqlFiles.LineOf(AddColumn.Text, "ADD COLUMN")), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.StartsWith(
            "Adding column 'code' to existing table 'accounts' with a default calling new_code(), which 002_create_new_code creates VOLATILE",
            diagnostic.GetMessage(CultureInfo.InvariantCulture),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IMMUTABLE")]
    [InlineData("STABLE")]
    public void A_default_calling_an_immutable_or_stable_function_is_not_reported(string volatility)
    {
        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Function(volatility), AddColumn).Diagnostics);
    }

    [Fact]
    public void A_function_created_earlier_in_the_same_migration_counts()
    {
        var migration = SqlFiles.Migration(2, "add_code", """
            CREATE FUNCTION new_code() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN md5(random()::text); END $$;
            ALTER TABLE accounts ADD COLUMN code TEXT DEFAULT new_code();
            """, timeouts: true);

        Assert.Equal([$"ROS0107@{SqlFiles.LineOf(migration.Text, "ADD COLUMN")}"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0107"));
    }

    [Fact]
    public void A_function_replaced_as_immutable_before_the_default_is_not_reported()
    {
        var replaced = SqlFiles.Migration(3, "make_new_code_immutable", "CREATE OR REPLACE FUNCTION new_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;");
        var add = SqlFiles.Migration(4, "add_code", "ALTER TABLE accounts ADD COLUMN code TEXT DEFAULT new_code();", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Function(string.Empty), replaced, add).Diagnostics);
    }

    [Fact]
    public void A_default_on_a_table_this_migration_creates_is_not_reported()
    {
        var migration = SqlFiles.Migration(3, "create_codes", "CREATE TABLE codes (id UUID PRIMARY KEY);\nALTER TABLE codes ADD COLUMN code TEXT DEFAULT new_code();");

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, Function(string.Empty), migration).Diagnostics);
    }

    [Fact]
    public void A_function_no_migration_creates_is_not_judged()
    {
        var migration = SqlFiles.Migration(2, "add_code", "ALTER TABLE accounts ADD COLUMN code TEXT DEFAULT some_extension_code();\nALTER TABLE accounts ADD COLUMN seen TIMESTAMPTZ DEFAULT now();", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);
    }
}
