using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>The lexer and splitter keep every semicolon that PostgreSQL would not treat as a statement end.</summary>
public sealed class SqlLexerTests
{
    [Theory]
    [InlineData("SELECT ';' ; SELECT 2;", 2)]
    [InlineData("SELECT E'it\\'s; fine' ; SELECT 2;", 2)]
    [InlineData("SELECT 'it''s; fine'; SELECT 2;", 2)]
    [InlineData("SELECT \"odd;name\" FROM t; SELECT 2;", 2)]
    [InlineData("SELECT 1 /* outer /* nested; */ still; comment */; SELECT 2;", 2)]
    [InlineData("SELECT 1 -- trailing; comment\n; SELECT 2;", 2)]
    [InlineData("DO $$ BEGIN PERFORM 1; END $$; SELECT 2;", 2)]
    [InlineData("DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$; SELECT 2;", 2)]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 2;", 2)]
    [InlineData("SELECT U&'d\\0061t\\+000061;' ; SELECT 2;", 2)]
    [InlineData("SELECT (1;2); SELECT 2;", 2)]
    [InlineData("SELECT 0x1F, 0o17, 0b101, 1_000.5e-3; SELECT 2;", 2)]
    public void Statements_split_only_at_top_level_semicolons(string sql, int count)
    {
        Assert.Equal(count, SqlStatementSplitter.Split(sql).Count);
    }

    [Theory]
    [InlineData("SELECT 'unterminated")]
    [InlineData("SELECT E'ends with a backslash\\")]
    [InlineData("/* never closed /* nested */")]
    [InlineData("SELECT $tag$ never closed")]
    [InlineData("SELECT \"never closed")]
    public void Unterminated_tokens_run_to_the_end_and_are_marked(string sql)
    {
        var last = SqlLexer.Tokenize(sql)[^1];

        Assert.True(last.Unterminated);
        Assert.Equal(sql.Length, last.End);
    }

    [Fact]
    public void Statements_keep_their_line_and_column_in_the_file()
    {
        var migration = SqlFiles.Migration(1, "create_things", "CREATE TABLE a (id int);\n  CREATE TABLE b (id int);");

        var outcome = GeneratorHarness.Run(migration);

        Assert.Contains("StatementSpans(\"0 24 6 1, 27 24 7 3\"u8)", outcome.Source("FixtureSchema.g.cs"), StringComparison.Ordinal);
    }
}
