using ReferralOS.Sdk.Generators.Diagnostics;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Every statement-level id can be excused where a reviewer agrees: <c>-- referralos:allow ROSxxxx because …</c> on
/// the line before the statement. Each case first proves its statement trips the id, then that the opt-out
/// excuses it — including the ids the cross-file stage decides (ROS0109, ROS0110) and the seed checks.
/// </summary>
public sealed class OptOutTests
{
    private const string TeamId = "'00000000-0000-0000-0000-000000000001'";

    /// <summary>Name, id, file kind, statements before, the statement excused, and the declared PostgreSQL version.</summary>
    public static TheoryData<string, string, string, string, string, string> Cases => new()
    {
        { "seed insert without on conflict", "ROS0015", "seed", "", $"INSERT INTO teams (id) VALUES ({TeamId});", "15" },
        { "seed into an unknown table", "ROS0016", "seed", "", $"INSERT INTO squads (id) VALUES ({TeamId}) ON CONFLICT DO NOTHING;", "15" },
        { "seed into an unknown column", "ROS0017", "seed", "", $"INSERT INTO teams (id, title) VALUES ({TeamId}, 'A') ON CONFLICT DO NOTHING;", "15" },
        { "migration using an unknown table", "ROS0016", "migration", "", "COMMENT ON TABLE squads IS 'the squads';", "15" },
        { "migration using an unknown column", "ROS0017", "migration", "", "CREATE INDEX CONCURRENTLY idx_accounts_title ON accounts (title);", "15" },
        { "drop column", "ROS0101", "migration", "", "ALTER TABLE accounts DROP COLUMN name;", "15" },
        { "drop table", "ROS0102", "migration", "", "DROP TABLE teams;", "15" },
        { "drop schema", "ROS0103", "migration", "", "DROP SCHEMA legacy CASCADE;", "15" },
        { "rename table", "ROS0104", "migration", "", "ALTER TABLE teams RENAME TO squads;", "15" },
        { "rename column", "ROS0105", "migration", "", "ALTER TABLE accounts RENAME COLUMN name TO full_name;", "15" },
        { "not null column without default", "ROS0106", "migration", "", "ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL;", "15" },
        { "volatile default", "ROS0107", "migration", "", "ALTER TABLE accounts ADD COLUMN token UUID DEFAULT gen_random_uuid();", "15" },
        { "volatile default through a function the migrations create", "ROS0107", "migration", "CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;", "ALTER TABLE accounts ADD COLUMN code TEXT DEFAULT new_code();", "15" },
        { "stored generated column", "ROS0108", "migration", "", "ALTER TABLE accounts ADD COLUMN email_lower TEXT GENERATED ALWAYS AS (lower(email)) STORED;", "15" },
        { "type change decided across files", "ROS0109", "migration", "", "ALTER TABLE accounts ALTER COLUMN name TYPE VARCHAR(50);", "15" },
        { "type change with USING", "ROS0109", "migration", "", "ALTER TABLE accounts ALTER COLUMN team_id TYPE TEXT USING team_id::text;", "15" },
        { "set not null decided across files", "ROS0110", "migration", "", "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;", "15" },
        { "set not null before PostgreSQL 12", "ROS0110", "migration", "", "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;", "11" },
        { "foreign key without not valid", "ROS0111", "migration", "", "ALTER TABLE accounts ADD CONSTRAINT accounts_team_fkey FOREIGN KEY (team_id) REFERENCES teams (id);", "15" },
        { "check without not valid", "ROS0112", "migration", "", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '');", "15" },
        { "validate in the same transaction", "ROS0113", "migration", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '') NOT VALID;", "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_check;", "15" },
        { "unique on an existing table", "ROS0114", "migration", "", "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);", "15" },
        { "create index without concurrently", "ROS0115", "migration", "", "CREATE INDEX idx_accounts_email ON accounts (email);", "15" },
        { "drop index without concurrently", "ROS0116", "migration", "", "DROP INDEX idx_accounts_email;", "15" },
        { "concurrently in a transaction", "ROS0117", "migration", "", "CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);", "15" },
        { "lock without timeouts", "ROS0118", "migration", "", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", "15" },
    };

    [Fact]
    public void Every_id_a_statement_may_excuse_has_a_case()
    {
        var covered = Cases.Select(row => row.Data.Item2).Distinct().Order(StringComparer.Ordinal);
        var excusable = DiagnosticDescriptors.Descriptors.Select(d => d.Id).Where(DiagnosticDescriptors.CanOptOut).Order(StringComparer.Ordinal);

        Assert.Equal(excusable, covered);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_opt_out_with_a_reason_excuses_the_statement(string name, string id, string kind, string setup, string statement, string version)
    {
        _ = name;
        var plain = Run(id, kind, setup, statement, version);
        var excused = Run(id, kind, setup, $"-- referralos:allow {id} because it was reviewed: the table is empty everywhere\n{statement}", version);

        Assert.NotEmpty(plain.Found(id));
        Assert.Empty(excused.Found(id));
        Assert.Empty(excused.Found("ROS0100"));
    }

    [Fact]
    public void An_opt_out_excuses_only_the_ids_it_names()
    {
        var outcome = Run("ROS0101", "migration", string.Empty, "-- referralos:allow ROS0115 because it was reviewed\nALTER TABLE accounts DROP COLUMN name;", "15");

        Assert.NotEmpty(outcome.Found("ROS0101"));
    }

    [Fact]
    public void An_excused_first_statement_moves_the_file_s_ROS0118_to_the_next_one()
    {
        var migration = SqlFiles.Migration(2, "change", """
            -- referralos:allow ROS0118 because accounts is locked by nobody during the maintenance window
            ALTER TABLE accounts ADD COLUMN nickname TEXT;
            ALTER TABLE accounts ADD COLUMN title TEXT;
            """);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        Assert.Equal([$"ROS0118@{SqlFiles.LineOf(migration.Text, "title")}"], outcome.Found("ROS0118"));
    }

    private static GeneratorRunOutcome Run(string id, string kind, string setup, string statement, string version)
    {
        var body = (setup.Length > 0 ? setup + "\n" : string.Empty) + statement;
        var file = kind == "seed"
            ? SqlFiles.Seed(1, "teams", body)
            : SqlFiles.Migration(2, "change", body, timeouts: id != "ROS0118");
        return GeneratorHarness.Run(new Dictionary<string, string> { ["ReferralOsPostgresVersion"] = version }, SqlFiles.BaseSchema, file);
    }
}
