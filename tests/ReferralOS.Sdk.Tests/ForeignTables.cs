namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Other migration tools' history tables, created with the very DDL each tool sends on PostgreSQL and filled the way
/// each tool writes its rows, for the baseline tests of the runtime and of the CLI (which links this file). Where each
/// statement comes from, read in the tool's source:
/// <list type="bullet">
/// <item>diesel: diesel/src/migration/setup_migration_table.sql (diesel-rs/diesel).</item>
/// <item>golang-migrate: database/postgres/postgres.go, ensureVersionTable and SetVersion (golang-migrate/migrate).</item>
/// <item>Flyway: flyway-core …/database/postgresql/createMetaDataTable.sql (flyway/flyway).</item>
/// <item>dbmate: pkg/driver/postgres/postgres.go, CreateMigrationsTable and InsertMigration (amacneil/dbmate).</item>
/// <item>goose: internal/dialect/dialectquery/postgres.go, CreateTable and InsertVersion; goose inserts version 0 when it creates the table (pressly/goose).</item>
/// <item>sqlx: sqlx-postgres/src/migrate.rs, ensure_migrations_table and execute_migration (launchbadge/sqlx).</item>
/// </list>
/// </summary>
public static class ForeignTables
{
    public const string Diesel = """
        CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
               version VARCHAR(50) PRIMARY KEY NOT NULL,
               run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        """;

    public const string GolangMigrate = """CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)""";

    public const string Flyway = """
        CREATE TABLE "public"."flyway_schema_history" (
            "installed_rank" INT NOT NULL,
            "version" VARCHAR(50),
            "description" VARCHAR(200) NOT NULL,
            "type" VARCHAR(20) NOT NULL,
            "script" VARCHAR(1000) NOT NULL,
            "checksum" INTEGER,
            "installed_by" VARCHAR(100) NOT NULL,
            "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
            "execution_time" INTEGER NOT NULL,
            "success" BOOLEAN NOT NULL
        );
        ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
        CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
        """;

    public const string Dbmate = """create table if not exists "public"."schema_migrations" (version varchar(255) primary key)""";

    public const string Goose = """
        CREATE TABLE goose_db_version (
        		id serial NOT NULL,
        		version_id bigint NOT NULL,
        		is_applied boolean NOT NULL,
        		tstamp timestamp NULL default now(),
        		PRIMARY KEY(id)
        	);
        INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true);
        """;

    public const string Sqlx = """
        CREATE TABLE IF NOT EXISTS _sqlx_migrations (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
            success BOOLEAN NOT NULL,
            checksum BYTEA NOT NULL,
            execution_time BIGINT NOT NULL
        );
        """;

    /// <summary>golang-migrate's one row: the version it is at, and whether that migration failed part-way.</summary>
    public static string GolangMigrateAt(long version, bool dirty = false) =>
        $"""TRUNCATE "public"."schema_migrations"; INSERT INTO "public"."schema_migrations" (version, dirty) VALUES ({version}, {(dirty ? "true" : "false")});""";

    /// <summary>A row as Flyway writes one (installed_rank counts from 1; the checksum is Flyway's CRC32 of the file, any number here).</summary>
    public static string FlywayRow(int rank, string? version, string description, string type, string script, bool success = true) =>
        "INSERT INTO \"public\".\"flyway_schema_history\" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES " +
        $"({rank}, {(version is null ? "NULL" : $"'{version}'")}, '{description}', '{type}', '{script}', {(type == "BASELINE" ? "NULL" : (1000 + rank).ToString(System.Globalization.CultureInfo.InvariantCulture))}, 'postgres', 12, {(success ? "true" : "false")});";

    /// <summary>The row sqlx writes for a migration it applied (success is false only for one that failed part-way, as older sqlx versions left it).</summary>
    public static string SqlxRow(long version, string description, bool success = true) =>
        $"INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ({version}, '{description}', {(success ? "TRUE" : "FALSE")}, decode('8515e9ec03135c88ee288c6e8007608dd6dc598d15cca1a0f45ef688f0fd4a44', 'hex'), 44544922);";
}
