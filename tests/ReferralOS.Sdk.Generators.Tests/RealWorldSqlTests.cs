using System.Globalization;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The SQL that real projects' migration histories write, read as PostgreSQL and psql read it: keywords that are
/// also names, rules, schema-qualified names and search_path, pg_dump's settings, psql input the runtime cannot
/// send, CRLF inside bodies, and data migrations of many megabytes.
/// </summary>
public sealed class RealWorldSqlTests
{
    [Fact]
    public void A_parameter_named_begin_does_not_swallow_the_statements_after_it()
    {
        var sql = "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT begin $$;\nCREATE TABLE t (id int);\nDROP TABLE t;";

        Assert.Equal(3, SqlStatementSplitter.Split(sql).Count);
    }

    [Theory]
    [InlineData("CREATE FUNCTION f(\"end\" int, atomic int) RETURNS int LANGUAGE sql RETURN atomic;")]
    [InlineData("CREATE OR REPLACE PROCEDURE p(begin int) LANGUAGE plpgsql AS $$ BEGIN PERFORM begin; END $$;")]
    [InlineData("CREATE TABLE spans (begin timestamptz, \"end\" timestamptz, atomic boolean);")]
    [InlineData("SELECT begin, atomic FROM spans;")]
    public void Begin_end_and_atomic_as_names_end_their_statement_at_its_semicolon(string statement)
    {
        Assert.Equal(2, SqlStatementSplitter.Split(statement + "\nSELECT 2;").Count);
    }

    [Fact]
    public void A_standard_function_body_with_a_column_called_begin_is_kept_whole()
    {
        var sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT begin FROM spans; SELECT CASE WHEN true THEN 1 END; END;\nSELECT 2;";

        Assert.Equal(2, SqlStatementSplitter.Split(sql).Count);
    }

    [Fact]
    public void The_statement_after_a_function_with_a_begin_parameter_is_linted()
    {
        var up = "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT begin $$;\nDROP TABLE teams;";
        var migration = SqlFiles.Migration(2, "change", up, timeouts: true);

        Assert.Equal(["ROS0102@9"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0102"));
    }

    [Fact]
    public void A_rule_names_the_table_after_TO_not_the_event_after_ON()
    {
        var migration = SqlFiles.Migration(2, "rules", "CREATE RULE accounts_log AS ON INSERT TO acounts DO ALSO NOTHING;", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal("ROS0016", diagnostic.Id);
        Assert.StartsWith("'acounts' is not a table", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_on_an_existing_table_needs_timeouts_like_any_lock()
    {
        var migration = SqlFiles.Migration(2, "rules", "CREATE OR REPLACE RULE accounts_log AS ON UPDATE TO accounts DO ALSO NOTHING;");

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal("ROS0118", diagnostic.Id);
        Assert.Contains("locks existing table 'accounts'", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_of_the_same_name_in_two_schemas_are_two_tables()
    {
        var first = SqlFiles.Migration(1, "create_items", "CREATE SCHEMA a;\nCREATE SCHEMA b;\nCREATE TABLE a.items (id int);\nCREATE TABLE b.items (id int, name text);");
        var second = SqlFiles.Migration(2, "index_items", "CREATE INDEX CONCURRENTLY idx_b_items_name ON b.items (name);", timeouts: true, transactionNone: true);

        Assert.Empty(GeneratorHarness.Run(first, second).Diagnostics);
    }

    [Fact]
    public void A_column_of_one_schema_s_table_is_not_found_in_the_other_s()
    {
        var first = SqlFiles.Migration(1, "create_items", "CREATE SCHEMA a;\nCREATE SCHEMA b;\nCREATE TABLE a.items (id int);\nCREATE TABLE b.items (id int, name text);");
        var second = SqlFiles.Migration(2, "index_items", "CREATE INDEX CONCURRENTLY idx_a_items_name ON a.items (name);", timeouts: true, transactionNone: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(first, second).Diagnostics);

        Assert.Equal("ROS0017", diagnostic.Id);
        Assert.StartsWith("Table 'a.items' has no column 'name'", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_on_an_existing_table_is_flagged_though_a_table_of_its_name_was_created_in_another_schema()
    {
        var first = SqlFiles.Migration(1, "create_items", "CREATE SCHEMA b;\nCREATE TABLE b.items (id int, name text);");
        var second = SqlFiles.Migration(2, "index_items", "CREATE SCHEMA a;\nCREATE TABLE a.items (id int, name text);\nCREATE INDEX idx_b_items_name ON b.items (name);", timeouts: true);

        Assert.Equal(["ROS0115@10"], GeneratorHarness.Run(first, second).Found("ROS0115"));
    }

    [Fact]
    public void Public_qualified_and_unqualified_names_are_one_table()
    {
        var second = SqlFiles.Migration(2, "add_title", "ALTER TABLE public.accounts ADD COLUMN title TEXT;\nCOMMENT ON COLUMN public.accounts.title IS 'shown in the header';", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, second).Diagnostics);
    }

    [Fact]
    public void Unqualified_names_after_SET_search_path_are_created_in_and_found_in_that_schema()
    {
        var first = SqlFiles.Migration(1, "create_billing", "CREATE SCHEMA billing;\nSET search_path TO billing, public;\nCREATE TABLE invoices (id int, total int);");
        var second = SqlFiles.Migration(2, "index_invoices", "CREATE INDEX CONCURRENTLY idx_invoices_total ON billing.invoices (total);", timeouts: true, transactionNone: true);
        var third = SqlFiles.Migration(3, "index_total", "CREATE INDEX CONCURRENTLY idx_invoices_id ON invoices (id);", timeouts: true, transactionNone: true);

        Assert.Empty(GeneratorHarness.Run(first, second).Diagnostics);
        Assert.Equal(["ROS0016@9"], GeneratorHarness.Run(first, second, third).Found("ROS0016"));
    }

    [Fact]
    public void An_unqualified_name_resolves_to_the_first_schema_of_the_search_path_that_has_the_table()
    {
        var second = SqlFiles.Migration(2, "index_accounts", "SET search_path = \"$user\", billing, public;\nCREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);", timeouts: true, transactionNone: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, second).Diagnostics);
    }

    [Fact]
    public void The_objects_a_CREATE_SCHEMA_creates_are_in_that_schema()
    {
        var first = SqlFiles.Migration(1, "create_audit", "CREATE SCHEMA audit\n  CREATE TABLE events (id int, kind text)\n  CREATE VIEW recent AS SELECT * FROM events;");
        var second = SqlFiles.Migration(2, "index_events", "CREATE INDEX CONCURRENTLY idx_events_kind ON audit.events (kind);", timeouts: true, transactionNone: true);
        var wrong = SqlFiles.Migration(2, "index_events", "CREATE INDEX CONCURRENTLY idx_events_kind ON events (kind);", timeouts: true, transactionNone: true);

        Assert.Empty(GeneratorHarness.Run(first, second).Diagnostics);
        Assert.Equal(["ROS0016@9"], GeneratorHarness.Run(first, wrong).Found("ROS0016"));
    }

    [Fact]
    public void Pg_dump_s_empty_search_path_with_qualified_names_builds_clean()
    {
        var up = "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.items (id integer NOT NULL, name text);\nALTER TABLE ONLY public.items ADD CONSTRAINT items_pkey PRIMARY KEY (id);";

        Assert.Empty(GeneratorHarness.Run(SqlFiles.Migration(1, "create_items", up)).Diagnostics);
    }

    [Fact]
    public void A_table_moved_with_SET_SCHEMA_is_known_in_its_new_schema_only()
    {
        var second = SqlFiles.Migration(2, "move_teams", "CREATE SCHEMA org;\nALTER TABLE teams SET SCHEMA org;", timeouts: true);
        var third = SqlFiles.Migration(3, "index_teams", "CREATE INDEX CONCURRENTLY idx_teams_id ON org.teams (id);\nCREATE INDEX CONCURRENTLY idx_teams_id2 ON teams (id);", timeouts: true, transactionNone: true);

        Assert.Equal(["ROS0016@10"], GeneratorHarness.Run(SqlFiles.BaseSchema, second, third).Found("ROS0016"));
    }

    [Fact]
    public void A_system_catalog_is_never_an_unknown_table()
    {
        var second = SqlFiles.Migration(2, "comment", "COMMENT ON TABLE pg_catalog.pg_class IS 'x';", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, second).Found("ROS0016"));
    }

    [Theory]
    [InlineData("SET lock_timeout = 0;")]
    [InlineData("SET lock_timeout TO '0';")]
    [InlineData("SET lock_timeout = '0ms';")]
    [InlineData("SET lock_timeout TO DEFAULT;")]
    [InlineData("RESET lock_timeout;")]
    [InlineData("SELECT pg_catalog.set_config('lock_timeout', '0', false);")]
    public void A_lock_timeout_set_to_zero_or_the_default_counts_as_no_timeout(string set)
    {
        var migration = SqlFiles.Migration(2, "add_title", set + "\nALTER TABLE accounts ADD COLUMN title TEXT;", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal(("ROS0118", 9), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.Contains("with no lock_timeout in effect", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SET lock_timeout = '5s';")]
    [InlineData("SET LOCAL lock_timeout TO 5000;")]
    [InlineData("SELECT set_config('lock_timeout', '5s', true);")]
    public void A_lock_timeout_set_to_a_duration_counts(string set)
    {
        var migration = SqlFiles.Migration(2, "add_title", "SET statement_timeout = '1min';\n" + set + "\nALTER TABLE accounts ADD COLUMN title TEXT;");

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);
    }

    [Fact]
    public void ROS0034_COPY_FROM_STDIN_fails_on_its_line_and_its_rows_are_data_not_SQL()
    {
        var up = "CREATE TABLE countries (code text, name text);\nCOPY countries (code, name) FROM stdin;\nde\tGermany 'unclosed\n\\N\t\\\\\n\\.\nCREATE TABLE after_copy (id int);";
        var migration = SqlFiles.Migration(2, "load_countries", up, timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal(("ROS0034", 9), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.StartsWith("COPY … FROM STDIN reads its rows from the client (the 2 lines after it, up to the line '\\.'), which only psql sends", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(3, SqlStatementSplitter.Split(up).Count);
    }

    [Fact]
    public void ROS0034_COPY_FROM_STDIN_of_an_empty_table_says_no_rows_follow()
    {
        var migration = SqlFiles.Migration(2, "load", "COPY public.accounts (id) FROM stdin;\n\\.\nALTER TABLE accounts ADD COLUMN title TEXT;", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Contains("reads its rows from the client (no rows come before its line '\\.')", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0034_COPY_FROM_STDIN_without_its_end_line_takes_the_rest_of_the_section_as_rows()
    {
        var migration = SqlFiles.Migration(2, "load", "COPY accounts (id) FROM STDIN WITH (FORMAT csv);\n6f1c2a52-0000-4000-8000-000000000001", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Contains("(the 2 lines after it, with no line '\\.' to end them)", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\set ON_ERROR_STOP on", "'\\set' is a psql meta-command", "write the value into the SQL itself")]
    [InlineData("\\i shared/functions.sql", "'\\i' is a psql meta-command", "copy that file's SQL into this migration")]
    [InlineData("\\connect referralos", "'\\connect' is a psql meta-command", "a migration runs on the database it is given")]
    [InlineData("  \\gexec", "'\\gexec' is a psql meta-command", "end the statement with ';' instead")]
    [InlineData("\\restrict lBWKRxFLSy9QcJgF", "'\\restrict' is a psql meta-command", "pg_dump writes it to guard a psql restore")]
    public void ROS0035_a_psql_meta_command_fails_on_its_line_with_what_to_write_instead(string line, string start, string advice)
    {
        var migration = SqlFiles.Migration(2, "change", "ALTER TABLE accounts ADD COLUMN title TEXT;\n" + line + "\nALTER TABLE accounts ADD COLUMN subtitle TEXT;", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal(("ROS0035", 9), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.StartsWith(start, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains(advice, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_backslash_inside_a_string_or_a_dollar_quote_is_not_a_meta_command()
    {
        var up = "UPDATE accounts SET name = E'a\\\\b' || 'c:\\\\d' WHERE name ~ $re$^\\d+$re$;";

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Migration(2, "change", up, timeouts: true)).Diagnostics);
    }

    [Fact]
    public void A_CRLF_inside_a_function_body_and_a_string_reaches_the_database_as_written()
    {
        var (path, lf) = SqlFiles.Migration(1, "create_greet", "CREATE FUNCTION greet() RETURNS text LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 'Hello,\nworld';\nEND $$;");
        var crlf = lf.Replace("\n", "\r\n", StringComparison.Ordinal);

        var outcome = GeneratorHarness.Run((path, crlf));
        var (context, assembly) = GeneratorHarness.Load(outcome.Output);
        try
        {
            var migration = Assert.Single(GeneratorHarness.Migrations(assembly));

            Assert.Equal("CREATE FUNCTION greet() RETURNS text LANGUAGE plpgsql AS $$\r\nBEGIN\r\n  RETURN 'Hello,\r\nworld';\r\nEND $$;", migration.Up.Statements.Single().Sql);
            Assert.Equal(SqlFileChecksum.Compute(lf), migration.Checksum);
            Assert.Equal("SELECT 1;", migration.Down!.Statements.Single().Sql);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void A_ten_megabyte_data_migration_compiles_and_runs_with_its_SQL_exactly_as_written()
    {
        var rows = string.Join("\n", Enumerable.Range(1, 100_000).Select(i =>
            $"INSERT INTO cities (id, name, note) VALUES ({i}, 'City {i}', 'Zürich \"quoted\" {new string('x', 40)}');"));
        var (path, text) = SqlFiles.Migration(1, "load_cities", "CREATE TABLE cities (id int PRIMARY KEY, name text, note text);\n" + rows);
        Assert.True(text.Length > 10_000_000);

        var outcome = GeneratorHarness.Run((path, text));
        Assert.Empty(outcome.Diagnostics);
        var (context, assembly) = GeneratorHarness.Load(outcome.Output);
        try
        {
            var migration = Assert.Single(GeneratorHarness.Migrations(assembly));

            var up = text[(text.IndexOf("-- Up Migration\n", StringComparison.Ordinal) + 16)..text.IndexOf("-- Down Migration", StringComparison.Ordinal)];
            Assert.Equal(up, migration.Up.Text);
            Assert.Equal(100_001, migration.Up.Statements.Count);
            Assert.Equal($"INSERT INTO cities (id, name, note) VALUES (100000, 'City 100000', 'Zürich \"quoted\" {new string('x', 40)}');", migration.Up.Statements[^1].Sql);
            Assert.Equal(SqlFiles.LineOf(text, "VALUES (100000,"), migration.Up.Statements[^1].Line);
        }
        finally
        {
            context.Unload();
        }
    }
}
