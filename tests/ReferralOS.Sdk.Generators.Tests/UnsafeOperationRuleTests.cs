namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Each unsafe-operation rule, two ways: the operation in a new migration fails on its line with its id, and the
/// safe recipe passes clean. (Every id's opt-out is in <see cref="OptOutTests"/>.)
/// </summary>
public sealed class UnsafeOperationRuleTests
{
    public static TheoryData<string, string, string, bool, bool> Rules => new()
    {
        { "ROS0101", "ALTER TABLE accounts DROP COLUMN name;", "CREATE TABLE scratch (id int, x int);\nALTER TABLE scratch DROP COLUMN x;", false, false },
        { "ROS0102", "DROP TABLE teams;", "CREATE TABLE scratch (id int);\nDROP TABLE scratch;", false, false },
        { "ROS0103", "DROP SCHEMA legacy CASCADE;", "CREATE SCHEMA IF NOT EXISTS reporting;", false, false },
        { "ROS0104", "ALTER TABLE teams RENAME TO squads;", "CREATE TABLE squads (id UUID PRIMARY KEY);", false, false },
        { "ROS0105", "ALTER TABLE accounts RENAME COLUMN name TO full_name;", "ALTER TABLE accounts ADD COLUMN full_name TEXT;", false, false },
        { "ROS0106", "ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL;", "ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';", false, false },
        { "ROS0107", "ALTER TABLE accounts ADD COLUMN token UUID DEFAULT gen_random_uuid();", "ALTER TABLE accounts ADD COLUMN token UUID;\nALTER TABLE accounts ALTER COLUMN token SET DEFAULT gen_random_uuid();", false, false },
        { "ROS0108", "ALTER TABLE accounts ADD COLUMN email_lower TEXT GENERATED ALWAYS AS (lower(email)) STORED;", "ALTER TABLE accounts ADD COLUMN email_lower TEXT;", false, false },
        { "ROS0109", "ALTER TABLE accounts ALTER COLUMN name TYPE VARCHAR(50);", "ALTER TABLE accounts ADD COLUMN short_name VARCHAR(50);", false, false },
        { "ROS0111", "ALTER TABLE accounts ADD CONSTRAINT accounts_team_fkey FOREIGN KEY (team_id) REFERENCES teams (id);", "ALTER TABLE accounts ADD CONSTRAINT accounts_team_fkey FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID;", false, false },
        { "ROS0112", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '');", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '') NOT VALID;", false, false },
        { "ROS0114", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX idx_accounts_email;", false, false },
        { "ROS0115", "CREATE INDEX idx_accounts_email ON accounts (email);", "CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);", true, false },
        { "ROS0116", "DROP INDEX idx_accounts_email;", "DROP INDEX CONCURRENTLY idx_accounts_email;", true, false },
        { "ROS0117", "CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);", "CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);", true, false },
        { "ROS0118", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", false, true },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_operation_fails_on_its_line(string id, string bad, string good, bool goodRunsWithoutTransaction, bool badLacksTimeouts)
    {
        _ = good;
        _ = goodRunsWithoutTransaction;
        var migration = SqlFiles.Migration(2, "change", bad, timeouts: !badLacksTimeouts);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        Assert.Equal([$"{id}@{SqlFiles.LineOf(migration.Text, bad)}"], outcome.Found(id));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_safe_recipe_passes(string id, string bad, string good, bool goodRunsWithoutTransaction, bool badLacksTimeouts)
    {
        _ = bad;
        _ = badLacksTimeouts;
        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Migration(2, "change", good, timeouts: true, transactionNone: goodRunsWithoutTransaction));

        Assert.Empty(outcome.Diagnostics.Select(d => d.ToString()));
        Assert.Empty(outcome.Found(id));
    }

    [Fact]
    public void An_opt_out_without_a_reason_is_itself_reported_and_excuses_nothing()
    {
        var migration = SqlFiles.Migration(2, "change", "-- referralos:allow ROS0101\nALTER TABLE accounts DROP COLUMN name;", timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        Assert.Equal(["ROS0100@8"], outcome.Found("ROS0100"));
        Assert.Equal(["ROS0101@9"], outcome.Found("ROS0101"));
    }

    [Fact]
    public void An_opt_out_of_a_file_level_check_is_reported()
    {
        var migration = SqlFiles.Migration(2, "change", "-- referralos:allow ROS0020 because it was reviewed\nALTER TABLE accounts ADD COLUMN nickname TEXT;", timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        Assert.Equal(["ROS0100@8"], outcome.Found("ROS0100"));
    }

    [Fact]
    public void Validate_in_the_transaction_that_added_the_constraint_fails_on_the_validate()
    {
        var migration = SqlFiles.Migration(2, "change", """
            ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '') NOT VALID;
            ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_check;
            """, timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        Assert.Equal(["ROS0113@9"], outcome.Found("ROS0113"));
    }

    [Fact]
    public void Validate_in_a_later_migration_passes()
    {
        var add = SqlFiles.Migration(2, "add_check", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '') NOT VALID;", timeouts: true);
        var validate = SqlFiles.Migration(3, "validate_check", "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_check;", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, add, validate).Diagnostics);
    }

    [Fact]
    public void Set_not_null_without_a_validated_check_fails()
    {
        var migration = SqlFiles.Migration(2, "change", "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;", timeouts: true);

        Assert.Equal(["ROS0110@8"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0110"));
    }

    [Fact]
    public void Set_not_null_after_a_check_validated_in_an_earlier_migration_passes()
    {
        var add = SqlFiles.Migration(2, "add_check", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;", timeouts: true);
        var validate = SqlFiles.Migration(3, "validate_check", "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_not_null;", timeouts: true);
        var setNotNull = SqlFiles.Migration(4, "email_not_null", "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;", timeouts: true);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, add, validate, setNotNull).Diagnostics);
    }

    [Fact]
    public void Set_not_null_before_PostgreSQL_12_fails_even_after_a_validated_check()
    {
        var add = SqlFiles.Migration(2, "add_check", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;", timeouts: true);
        var validate = SqlFiles.Migration(3, "validate_check", "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_not_null;", timeouts: true);
        var setNotNull = SqlFiles.Migration(4, "email_not_null", "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;", timeouts: true);

        var outcome = GeneratorHarness.Run(new Dictionary<string, string> { ["ReferralOsPostgresVersion"] = "11" }, SqlFiles.BaseSchema, add, validate, setNotNull);

        Assert.Equal(["ROS0110@8"], outcome.Found("ROS0110"));
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("11", false)]
    [InlineData("15", false)]
    public void A_constant_default_rewrites_the_table_only_before_PostgreSQL_11(string version, bool flagged)
    {
        var migration = SqlFiles.Migration(2, "change", "ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';", timeouts: true);

        var outcome = GeneratorHarness.Run(new Dictionary<string, string> { ["ReferralOsPostgresVersion"] = version }, SqlFiles.BaseSchema, migration);

        Assert.Equal(flagged ? ["ROS0107@8"] : [], outcome.Found("ROS0107"));
    }

    [Theory]
    [InlineData("ALTER TABLE accounts ADD COLUMN seq BIGSERIAL;")]
    [InlineData("ALTER TABLE accounts ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;")]
    public void Serial_and_identity_columns_on_an_existing_table_fail(string statement)
    {
        var migration = SqlFiles.Migration(2, "change", statement, timeouts: true);

        Assert.Equal(["ROS0107@8"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0107"));
    }

    [Theory]
    [InlineData("DROP INDEX CONCURRENTLY idx_accounts_email;")]
    [InlineData("REINDEX INDEX CONCURRENTLY idx_accounts_email;")]
    [InlineData("REINDEX (CONCURRENTLY) TABLE accounts;")]
    public void Every_concurrent_operation_in_a_transactional_migration_fails(string statement)
    {
        var migration = SqlFiles.Migration(2, "change", statement, timeouts: true);

        Assert.Equal(["ROS0117@8"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0117"));
    }

    [Theory]
    [InlineData("CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION audit();", "CREATE TRIGGER locks existing table 'accounts'")]
    [InlineData("TRUNCATE accounts;", "TRUNCATE locks existing table 'accounts'")]
    [InlineData("DROP INDEX CONCURRENTLY idx_accounts_email;", "DROP INDEX locks the table of index 'idx_accounts_email'")]
    [InlineData("ALTER TABLE accounts ADD COLUMN nickname TEXT;", "ALTER TABLE locks existing table 'accounts'")]
    public void A_lock_taking_statement_without_timeouts_says_what_it_locks(string statement, string message)
    {
        var migration = SqlFiles.Migration(2, "change", statement, transactionNone: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics, d => d.Id == "ROS0118");

        Assert.StartsWith(message + " with no lock_timeout or statement_timeout in effect", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0118_is_reported_once_per_file_on_the_first_lock_saying_how_many_more_statements_need_timeouts()
    {
        var migration = SqlFiles.Migration(2, "change", """
            CREATE TABLE invoices (id UUID PRIMARY KEY);
            ALTER TABLE accounts ADD COLUMN nickname TEXT;
            CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);
            ALTER TABLE teams ADD COLUMN title TEXT;
            """, transactionNone: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics, d => d.Id == "ROS0118");

        Assert.Equal(SqlFiles.LineOf(migration.Text, "nickname"), diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.StartsWith(
            "ALTER TABLE locks existing table 'accounts' with no lock_timeout or statement_timeout in effect, and so do 2 more statements in this file: add '-- Lock-Timeout: 5s'",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0118_counts_one_more_statement_in_the_singular()
    {
        var migration = SqlFiles.Migration(2, "change", "ALTER TABLE accounts ADD COLUMN nickname TEXT;\nALTER TABLE teams ADD COLUMN title TEXT;");

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Contains("in effect, and so does 1 more statement in this file: add", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0118_counts_only_the_statements_before_a_SET_puts_the_timeouts_in_effect()
    {
        var migration = SqlFiles.Migration(2, "change", """
            ALTER TABLE accounts ADD COLUMN nickname TEXT;
            SET lock_timeout = '5s';
            SET statement_timeout = '1min';
            ALTER TABLE teams ADD COLUMN title TEXT;
            """);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal(SqlFiles.LineOf(migration.Text, "nickname"), diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.DoesNotContain("more statement", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_key_from_a_new_table_to_an_existing_one_needs_timeouts()
    {
        var migration = SqlFiles.Migration(2, "create_invoices", """
            CREATE TABLE invoices (
              id UUID PRIMARY KEY,
              account_id UUID NOT NULL REFERENCES accounts (id)
            );
            """);

        Assert.Equal(["ROS0118@8"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0118"));
    }

    [Fact]
    public void Statements_on_a_table_created_earlier_in_the_same_transactional_migration_are_not_flagged()
    {
        var migration = SqlFiles.Migration(2, "create_invoices", """
            CREATE TABLE invoices (id UUID PRIMARY KEY, total INT, note TEXT);
            CREATE INDEX idx_invoices_total ON invoices (total);
            ALTER TABLE invoices ADD COLUMN paid BOOLEAN NOT NULL;
            ALTER TABLE invoices ALTER COLUMN total TYPE BIGINT;
            ALTER TABLE invoices DROP COLUMN note;
            ALTER TABLE invoices ADD CONSTRAINT invoices_total_check CHECK (total >= 0);
            """);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);
    }

    [Fact]
    public void A_table_created_in_a_migration_without_transaction_is_already_visible_to_others()
    {
        var migration = SqlFiles.Migration(2, "create_invoices", """
            CREATE TABLE invoices (id UUID PRIMARY KEY, total INT);
            CREATE INDEX idx_invoices_total ON invoices (total);
            """, timeouts: true, transactionNone: true);

        Assert.Equal(["ROS0115@10"], GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Found("ROS0115"));
    }

    [Fact]
    public void A_set_statement_puts_the_timeouts_in_effect()
    {
        var migration = SqlFiles.Migration(2, "change", """
            SET lock_timeout = '5s';
            SET statement_timeout = '1min';
            ALTER TABLE accounts ADD COLUMN nickname TEXT;
            """);

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);
    }

    [Fact]
    public void The_message_says_why_and_how_to_do_it_safely()
    {
        var migration = SqlFiles.Migration(2, "change", "CREATE INDEX idx_accounts_email ON accounts (email);", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        Assert.Equal(
            "Creating index idx_accounts_email on existing table 'accounts' without CONCURRENTLY blocks writes to the table for the whole build: use CREATE INDEX CONCURRENTLY in a migration marked '-- Transaction: none'",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("https://github.com/referralos/referralos-sdk/blob/main/docs/diagnostics.md#ros0115", diagnostic.Descriptor.HelpLinkUri);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((7, 0, 7, 43), (span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character));
    }
}
