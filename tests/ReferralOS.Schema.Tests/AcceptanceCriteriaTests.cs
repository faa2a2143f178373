using Npgsql;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Schema.Tests;

/// <summary>The specification's acceptance criteria, one test each, against real PostgreSQL.</summary>
public sealed class AcceptanceCriteriaTests(PostgresServerFixture postgres)
{
    private static readonly string[] SpecTables =
    [
        "api_keys", "audit_logs", "referral_codes", "referrals", "rewards_ledger", "schema_migrations", "tenants", "users", "webhook_events",
    ];

    [Fact]
    public async Task All_migrations_run_successfully_on_a_fresh_database()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var result = await ReferralOsSchema.MigrateAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ReferralOsSchema.Migrations.Select(m => m.Version), result.Applied.Select(a => a.Version));
        Assert.Equal(0, result.AlreadyApplied);
        Assert.Equal(SpecTables, await TablesAsync(database.DataSource));
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing_the_second_time()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        await ReferralOsSchema.MigrateAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken);
        var before = await SchemaSnapshot.TakeAsync(database.DataSource);
        var historyBefore = await HistoryAsync(database.DataSource);

        var second = await ReferralOsSchema.MigrateAsync(database.DataSource, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(second.WasUpToDate);
        Assert.Equal(ReferralOsSchema.Migrations.Count, second.AlreadyApplied);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(database.DataSource));
        Assert.Equal(historyBefore, await HistoryAsync(database.DataSource));
    }

    [Fact]
    public async Task Every_migration_up_section_is_idempotent_when_run_twice_directly()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);
        foreach (var migration in ReferralOsSchema.Migrations)
        {
            await RunUpAsync(database.DataSource, migration);
            var once = await SchemaSnapshot.TakeAsync(database.DataSource);

            await RunUpAsync(database.DataSource, migration);

            Assert.Equal(once, await SchemaSnapshot.TakeAsync(database.DataSource));
        }
    }

    [Fact]
    public async Task Seeds_create_the_specified_rows_and_insert_nothing_when_run_again()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var first = await ReferralOsSchema.SeedAsync(database.DataSource, DatabaseEnvironment.Development, TestContext.Current.CancellationToken);
        var second = await ReferralOsSchema.SeedAsync(database.DataSource, DatabaseEnvironment.Development, TestContext.Current.CancellationToken);

        Assert.Equal(["001_default_tenant", "002_test_users", "003_sample_referrals"], first.Seeds.Select(s => s.Version));
        Assert.Equal(6, first.RowsInserted);
        Assert.Equal(0, second.RowsInserted);
        Assert.Equal(
            ("quoteos", "QuoteOS", true, "AUD", 200L),
            await SingleAsync(database.DataSource, "SELECT slug, name, is_active, reward_rules->>'currency', (reward_rules->>'referral_reward_pro')::bigint FROM tenants", r => (r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetString(3), r.GetInt64(4))));
        Assert.Equal(
            [("test_referred_001", "referred@example.com", "free"), ("test_referrer_001", "referrer@example.com", "pro")],
            await ListAsync(database.DataSource, "SELECT external_user_id, email, subscription_tier FROM users ORDER BY external_user_id", r => (r.GetString(0), r.GetString(1), r.GetString(2))));
        Assert.Equal("TESTREF001", await SingleAsync(database.DataSource, "SELECT code FROM referral_codes", r => r.GetString(0)));
    }

    [Fact]
    public async Task Schema_migrations_holds_every_catalog_version_with_its_compiled_checksum()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var history = await HistoryAsync(database.DataSource);

        Assert.Equal(ReferralOsSchema.Migrations.Select(m => (m.Version, m.Checksum)), history.Select(h => (h.Version, h.Checksum)));
        Assert.All(history, h => Assert.Matches("^[0-9a-f]{64}$", h.Checksum));
    }

    [Fact]
    public async Task Schema_migrations_is_created_with_exactly_the_specified_columns()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var columns = await ListAsync(
            database.DataSource,
            "SELECT column_name, data_type, coalesce(character_maximum_length, 0), is_nullable, coalesce(column_default, '') FROM information_schema.columns WHERE table_name = 'schema_migrations' ORDER BY ordinal_position",
            r => (r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4)));

        Assert.Equal(
            [
                ("version", "character varying", 255, "NO", ""),
                ("applied_at", "timestamp with time zone", 0, "NO", "now()"),
                ("checksum", "character varying", 64, "NO", ""),
            ],
            columns);
        Assert.Equal("PRIMARY KEY (version)", await SingleAsync(database.DataSource, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'schema_migrations'::regclass", r => r.GetString(0)));
    }

    [Fact]
    public async Task Production_seeding_is_refused_and_writes_no_row()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var refused = await Assert.ThrowsAsync<EnvironmentRefusedException>(
            () => ReferralOsSchema.SeedAsync(database.DataSource, DatabaseEnvironment.Production, TestContext.Current.CancellationToken));

        Assert.Contains("production", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await SingleAsync(database.DataSource, "SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM users) + (SELECT count(*) FROM referral_codes) + (SELECT count(*) FROM referrals) + (SELECT count(*) FROM rewards_ledger)", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task Seed_constants_match_the_rows_the_database_holds()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);

        Assert.Equal(Seeds.TestReferrer.Id, await SingleAsync(database.DataSource, "SELECT id FROM users WHERE email = 'referrer@example.com'", r => r.GetGuid(0)));
        Assert.Equal(Seeds.TestReferred.Id, await SingleAsync(database.DataSource, "SELECT id FROM users WHERE email = 'referred@example.com'", r => r.GetGuid(0)));
        Assert.Equal(Seeds.DefaultTenant.Id, await SingleAsync(database.DataSource, $"SELECT id FROM tenants WHERE slug = '{Seeds.DefaultTenant.Slug}'", r => r.GetGuid(0)));
        Assert.Equal(
            (Seeds.TestReferrerCode.Id, Seeds.TestReferrer.Id),
            await SingleAsync(database.DataSource, $"SELECT id, user_id FROM referral_codes WHERE code = '{Seeds.TestReferrerCode.Code}'", r => (r.GetGuid(0), r.GetGuid(1))));
        Assert.Equal(Seeds.DefaultTenant.AllowedOrigins, await SingleAsync(database.DataSource, "SELECT allowed_origins FROM tenants", r => r.GetFieldValue<string[]>(0)));
    }

    private static async Task RunUpAsync(NpgsqlDataSource dataSource, Migration migration)
    {
        foreach (var statement in migration.Up.Statements)
        {
            await using var command = dataSource.CreateCommand(statement.Sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<IReadOnlyList<string>> TablesAsync(NpgsqlDataSource dataSource) =>
        await ListAsync(dataSource, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name", r => r.GetString(0));

    private static async Task<IReadOnlyList<(string Version, string Checksum, DateTime AppliedAt)>> HistoryAsync(NpgsqlDataSource dataSource) =>
        await ListAsync(dataSource, "SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version", r => (r.GetString(0), r.GetString(1), r.GetDateTime(2)));

    private static async Task<T> SingleAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read) =>
        Assert.Single(await ListAsync(dataSource, sql, read));

    private static async Task<IReadOnlyList<T>> ListAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
