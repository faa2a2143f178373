namespace ReferralOS.Sdk.Tests.Explaining;

/// <summary>
/// The DDL statements explain is proven on: every trigger of ROS0101–ROS0118, the cases of Squawk's and
/// strong_migrations' rule lists, and the CONCURRENTLY, partition, rewrite and maintenance forms around them. Each case
/// runs on a fixture of its own (tables named with the case's prefix, <c>{p}</c> in the SQL), so no case sees another's
/// effects. <see cref="Case.Rewrites"/> lists, by hand from PostgreSQL's documentation and source, every relation the
/// statement writes to a new file; <see cref="Case.Known"/>, for statements that cannot run in a transaction, the
/// strongest mode per relation they take (PostgreSQL's explicit-locking page and the index build/drop code).
/// </summary>
internal static class ExplainCorpus
{
    /// <summary>The relations every case starts with.</summary>
    public const string Fixture =
        """
        CREATE TABLE {p}_parent (id int PRIMARY KEY, code text NOT NULL UNIQUE, name text);
        CREATE TABLE {p}_child (id int PRIMARY KEY, parent_id int REFERENCES {p}_parent (id), v int, t text, amount numeric(10,2), flag boolean, created timestamptz DEFAULT now());
        CREATE INDEX {p}_child_v ON {p}_child (v);
        INSERT INTO {p}_parent SELECT g, 'c' || g, 'n' || g FROM generate_series(1, 20) g;
        INSERT INTO {p}_child SELECT g, 1 + g % 20, g, 't' || g, g, true FROM generate_series(1, 100) g;
        CREATE TABLE {p}_events (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
        CREATE TABLE {p}_events_2025 PARTITION OF {p}_events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE {p}_loose (id int NOT NULL, at date NOT NULL, v int);
        INSERT INTO {p}_loose SELECT g, date '2024-01-01' + g, g FROM generate_series(1, 50) g;
        CREATE MATERIALIZED VIEW {p}_totals AS SELECT parent_id, count(*) AS children FROM {p}_child GROUP BY parent_id;
        CREATE UNIQUE INDEX {p}_totals_parent ON {p}_totals (parent_id);
        CREATE VIEW {p}_named AS SELECT t FROM {p}_child;
        CREATE SEQUENCE {p}_seq;
        """;

    private const LockMode ShareUpdateExclusive = LockMode.ShareUpdateExclusiveLock;
    private const LockMode AccessExclusive = LockMode.AccessExclusiveLock;

    private static readonly string[] Child = ["{p}_child", "{p}_child_pkey", "{p}_child_v"];

    /// <summary>The cases, in the order they run.</summary>
    public static readonly Case[] Cases =
    [
        // ROS0101 dropping a column (Squawk ban-drop-column, strong_migrations remove_column)
        new("drop_column", "ALTER TABLE {p}_child DROP COLUMN amount;"),
        new("drop_column_if_exists", "ALTER TABLE {p}_child DROP COLUMN IF EXISTS flag;"),
        new("drop_column_cascade", "ALTER TABLE {p}_child DROP COLUMN t CASCADE;"),

        // ROS0102 dropping a table (Squawk ban-drop-table)
        new("drop_table", "DROP TABLE {p}_child CASCADE;"),
        new("drop_table_if_exists", "DROP TABLE IF EXISTS {p}_loose;"),
        new("drop_partitioned_table", "DROP TABLE {p}_events;"),
        new("drop_referenced_table_cascade", "DROP TABLE {p}_parent CASCADE;"),

        // ROS0103 dropping a schema
        new("drop_schema", "DROP SCHEMA {p}_s CASCADE;", Setup: "CREATE SCHEMA {p}_s;\nCREATE TABLE {p}_s.things (id int PRIMARY KEY);"),

        // ROS0104 renaming a table (Squawk renaming-table, strong_migrations rename_table)
        new("rename_table", "ALTER TABLE {p}_loose RENAME TO {p}_loose2;"),
        new("rename_table_if_exists", "ALTER TABLE IF EXISTS {p}_child RENAME TO {p}_kids;"),

        // ROS0105 renaming a column (Squawk renaming-column, strong_migrations rename_column)
        new("rename_column", "ALTER TABLE {p}_child RENAME COLUMN t TO label;"),
        new("rename_column_referenced", "ALTER TABLE {p}_parent RENAME COLUMN id TO parent_id;"),

        // ROS0106 adding a NOT NULL column without a default (Squawk adding-required-field, adding-not-nullable-field)
        new("add_not_null_column_empty_table", "ALTER TABLE {p}_empty ADD COLUMN required int NOT NULL;", Setup: "CREATE TABLE {p}_empty (id int);"),
        new("add_not_null_column_with_constant_default", "ALTER TABLE {p}_child ADD COLUMN n int NOT NULL DEFAULT 0;"),

        // ROS0107 a default that rewrites (Squawk adding-field-with-default, strong_migrations add_column_default)
        new("add_column_volatile_default", "ALTER TABLE {p}_child ADD COLUMN token uuid DEFAULT gen_random_uuid();", Rewrites: Child),
        new("add_column_clock_default", "ALTER TABLE {p}_child ADD COLUMN stamp timestamptz DEFAULT clock_timestamp();", Rewrites: Child),
        new("add_column_constant_default", "ALTER TABLE {p}_child ADD COLUMN score int DEFAULT 0;"),
        new("add_column_stable_default", "ALTER TABLE {p}_child ADD COLUMN at timestamptz DEFAULT now();"),
        new("add_serial_column", "ALTER TABLE {p}_child ADD COLUMN serial_id serial;", Rewrites: Child),
        new("add_serial_primary_key", "ALTER TABLE {p}_nopk ADD COLUMN id2 serial PRIMARY KEY;", Setup: "CREATE TABLE {p}_nopk (id int NOT NULL);\nINSERT INTO {p}_nopk VALUES (1), (2);", Rewrites: ["{p}_nopk"]),
        new("add_identity_column", "ALTER TABLE {p}_child ADD COLUMN ident bigint GENERATED ALWAYS AS IDENTITY;", Rewrites: Child),

        // ROS0108 a stored generated column (strong_migrations add_column_generated_stored)
        new("add_stored_generated_column", "ALTER TABLE {p}_child ADD COLUMN v2 int GENERATED ALWAYS AS (v * 2) STORED;", Rewrites: Child),

        // ROS0109 changing a column's type (Squawk changing-column-type, strong_migrations change_column)
        new("int_to_bigint", "ALTER TABLE {p}_child ALTER COLUMN v TYPE bigint;", Rewrites: Child),
        new("primary_key_to_bigint", "ALTER TABLE {p}_child ALTER COLUMN id TYPE bigint;", Rewrites: Child),
        new("referenced_key_to_bigint", "ALTER TABLE {p}_parent ALTER COLUMN id TYPE bigint;", Rewrites: ["{p}_parent", "{p}_parent_code_key", "{p}_parent_pkey"]),
        new("numeric_precision_up", "ALTER TABLE {p}_child ALTER COLUMN amount TYPE numeric(12,2);"),
        new("varchar_widen", "ALTER TABLE {p}_names ALTER COLUMN label TYPE varchar(20);", Setup: "CREATE TABLE {p}_names (id int, label varchar(10));"),
        new("varchar_to_text", "ALTER TABLE {p}_names ALTER COLUMN label TYPE text;", Setup: "CREATE TABLE {p}_names (id int, label varchar(10));"),
        new("varchar_narrow", "ALTER TABLE {p}_names ALTER COLUMN label TYPE varchar(5);", Setup: "CREATE TABLE {p}_names (id int, label varchar(10));", Rewrites: ["{p}_names"]),
        new("bool_to_int_using", "ALTER TABLE {p}_child ALTER COLUMN flag TYPE int USING flag::int;", Rewrites: Child),
        new("int_to_text", "ALTER TABLE {p}_names ALTER COLUMN id TYPE text;", Setup: "CREATE TABLE {p}_names (id int, label varchar(10));", Rewrites: ["{p}_names"]),
        new("same_type_is_no_rewrite", "ALTER TABLE {p}_child ALTER COLUMN created TYPE timestamptz;"),

        // ROS0110 SET NOT NULL (strong_migrations change_column_null), and DROP NOT NULL (Squawk ban-drop-not-null)
        new("set_not_null", "ALTER TABLE {p}_child ALTER COLUMN v SET NOT NULL;"),
        new("drop_not_null", "ALTER TABLE {p}_parent ALTER COLUMN code DROP NOT NULL;"),
        new("set_not_null_after_validated_check", "ALTER TABLE {p}_child ALTER COLUMN v SET NOT NULL;", Setup: "ALTER TABLE {p}_child ADD CONSTRAINT {p}_v_nn CHECK (v IS NOT NULL);"),

        // ROS0111 a foreign key without NOT VALID (Squawk adding-foreign-key-constraint, strong_migrations add_foreign_key)
        new("add_foreign_key", "ALTER TABLE {p}_orders ADD CONSTRAINT {p}_orders_parent FOREIGN KEY (parent_id) REFERENCES {p}_parent (id);", Setup: "CREATE TABLE {p}_orders (id int, parent_id int);"),
        new("add_foreign_key_not_valid", "ALTER TABLE {p}_orders ADD CONSTRAINT {p}_orders_parent FOREIGN KEY (parent_id) REFERENCES {p}_parent (id) NOT VALID;", Setup: "CREATE TABLE {p}_orders (id int, parent_id int);"),
        new("validate_foreign_key", "ALTER TABLE {p}_orders VALIDATE CONSTRAINT {p}_orders_fk;", Setup: "CREATE TABLE {p}_orders (id int, parent_id int);\nALTER TABLE {p}_orders ADD CONSTRAINT {p}_orders_fk FOREIGN KEY (parent_id) REFERENCES {p}_parent (id) NOT VALID;"),
        new("add_reference_column", "ALTER TABLE {p}_child ADD COLUMN ref int REFERENCES {p}_parent (id);"),
        new("drop_foreign_key", "ALTER TABLE {p}_child DROP CONSTRAINT {p}_child_parent_id_fkey;"),

        // ROS0112 a CHECK without NOT VALID (Squawk constraint-missing-not-valid, strong_migrations add_check_constraint)
        new("add_check", "ALTER TABLE {p}_child ADD CONSTRAINT {p}_v_pos CHECK (v > 0);"),
        new("add_check_not_valid", "ALTER TABLE {p}_child ADD CONSTRAINT {p}_v_pos CHECK (v > 0) NOT VALID;"),
        new("validate_check", "ALTER TABLE {p}_child VALIDATE CONSTRAINT {p}_v_pos;", Setup: "ALTER TABLE {p}_child ADD CONSTRAINT {p}_v_pos CHECK (v > 0) NOT VALID;"),
        new("drop_check", "ALTER TABLE {p}_child DROP CONSTRAINT {p}_v_pos;", Setup: "ALTER TABLE {p}_child ADD CONSTRAINT {p}_v_pos CHECK (v > 0);"),

        // ROS0113 VALIDATE in the transaction that added the constraint: the second statement's own locks
        new("check_added_and_validated", "ALTER TABLE {p}_child ADD CONSTRAINT {p}_v_pos CHECK (v > 0) NOT VALID;\nALTER TABLE {p}_child VALIDATE CONSTRAINT {p}_v_pos;"),
        new("foreign_key_added_and_validated", "ALTER TABLE {p}_orders ADD CONSTRAINT {p}_orders_fk FOREIGN KEY (parent_id) REFERENCES {p}_parent (id) NOT VALID;\nALTER TABLE {p}_orders VALIDATE CONSTRAINT {p}_orders_fk;", Setup: "CREATE TABLE {p}_orders (id int, parent_id int);"),

        // ROS0114 UNIQUE or PRIMARY KEY on an existing table (Squawk disallowed-unique-constraint, adding-primary-key-constraint)
        new("add_unique", "ALTER TABLE {p}_parent ADD CONSTRAINT {p}_parent_name_key UNIQUE (name);"),
        new("add_primary_key", "ALTER TABLE {p}_nopk ADD PRIMARY KEY (id);", Setup: "CREATE TABLE {p}_nopk (id int NOT NULL);\nINSERT INTO {p}_nopk VALUES (1), (2);"),
        new("add_unique_using_index", "ALTER TABLE {p}_names ADD CONSTRAINT {p}_names_id_key UNIQUE USING INDEX {p}_names_id;", Setup: "CREATE TABLE {p}_names (id int, label varchar(10));\nCREATE UNIQUE INDEX {p}_names_id ON {p}_names (id);"),
        new("add_primary_key_using_index", "ALTER TABLE {p}_nopk ADD CONSTRAINT {p}_nopk_pkey PRIMARY KEY USING INDEX {p}_nopk_id;", Setup: "CREATE TABLE {p}_nopk (id int NOT NULL);\nCREATE UNIQUE INDEX {p}_nopk_id ON {p}_nopk (id);"),
        new("add_exclusion", "ALTER TABLE {p}_child ADD CONSTRAINT {p}_child_excl EXCLUDE USING btree (id WITH =);"),
        new("drop_unique", "ALTER TABLE {p}_parent DROP CONSTRAINT {p}_parent_code_key;"),

        // ROS0115 CREATE INDEX without CONCURRENTLY (Squawk require-concurrent-index-creation, strong_migrations add_index)
        new("create_index", "CREATE INDEX {p}_child_t ON {p}_child (t);"),
        new("create_unique_expression_index", "CREATE UNIQUE INDEX {p}_parent_lower ON {p}_parent (lower(code));"),
        new("create_partial_index_if_not_exists", "CREATE INDEX IF NOT EXISTS {p}_child_parent ON {p}_child (parent_id) WHERE flag;"),
        new("create_covering_index", "CREATE INDEX {p}_child_multi ON {p}_child USING btree (parent_id, v DESC) INCLUDE (t);"),
        new("create_index_on_partitioned", "CREATE INDEX {p}_events_v ON {p}_events (v);"),
        new("create_index_on_matview", "CREATE INDEX {p}_totals_children ON {p}_totals (children);"),
        new("create_existing_index_if_not_exists", "CREATE INDEX IF NOT EXISTS {p}_child_v ON {p}_child (v);"),

        // ROS0116 DROP INDEX without CONCURRENTLY (Squawk require-concurrent-index-deletion)
        new("drop_index", "DROP INDEX {p}_child_v;"),
        new("drop_index_if_exists_on_matview", "DROP INDEX IF EXISTS {p}_totals_parent;"),

        // ROS0118 lock-taking statements (Squawk require-timeout-settings): defaults, storage, options
        new("set_default", "ALTER TABLE {p}_child ALTER COLUMN v SET DEFAULT 1;"),
        new("drop_default", "ALTER TABLE {p}_child ALTER COLUMN created DROP DEFAULT;"),
        new("set_storage", "ALTER TABLE {p}_child ALTER COLUMN t SET STORAGE EXTERNAL;"),
        new("set_statistics", "ALTER TABLE {p}_child ALTER COLUMN t SET STATISTICS 500;"),
        new("set_fillfactor", "ALTER TABLE {p}_child SET (fillfactor = 70);"),
        new("set_autovacuum", "ALTER TABLE {p}_child SET (autovacuum_enabled = false);"),
        new("cluster_on", "ALTER TABLE {p}_child CLUSTER ON {p}_child_pkey;"),
        new("set_without_cluster", "ALTER TABLE {p}_child SET WITHOUT CLUSTER;", Setup: "ALTER TABLE {p}_child CLUSTER ON {p}_child_pkey;"),
        new("replica_identity_full", "ALTER TABLE {p}_child REPLICA IDENTITY FULL;"),
        new("set_unlogged", "ALTER TABLE {p}_loose SET UNLOGGED;", Rewrites: ["{p}_loose"]),
        new("owner_to_current_user", "ALTER TABLE {p}_child OWNER TO CURRENT_USER;"),
        new("add_column_if_not_exists_existing", "ALTER TABLE {p}_child ADD COLUMN IF NOT EXISTS v int;"),
        new("add_nullable_column", "ALTER TABLE {p}_child ADD COLUMN note text;"),
        new("add_char_column", "ALTER TABLE {p}_child ADD COLUMN code char(10);"),
        new("add_json_column", "ALTER TABLE {p}_child ADD COLUMN doc json;"),
        new("add_jsonb_column_constant_default", "ALTER TABLE {p}_child ADD COLUMN meta jsonb NOT NULL DEFAULT '{}';"),
        new("add_timestamp_column", "ALTER TABLE {p}_child ADD COLUMN seen timestamp;"),

        // Triggers, row security, comments, grants, statistics
        new("create_trigger", "CREATE TRIGGER {p}_touch BEFORE UPDATE ON {p}_child FOR EACH ROW EXECUTE FUNCTION {p}_touch();", Setup: "CREATE FUNCTION {p}_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"),
        new("drop_trigger", "DROP TRIGGER {p}_touch ON {p}_child;", Setup: "CREATE FUNCTION {p}_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\nCREATE TRIGGER {p}_touch BEFORE UPDATE ON {p}_child FOR EACH ROW EXECUTE FUNCTION {p}_touch();"),
        new("disable_triggers", "ALTER TABLE {p}_child DISABLE TRIGGER ALL;"),
        new("enable_row_security", "ALTER TABLE {p}_child ENABLE ROW LEVEL SECURITY;"),
        new("create_policy", "CREATE POLICY {p}_everyone ON {p}_child USING (true);"),
        new("comment_on_table", "COMMENT ON TABLE {p}_child IS 'children';"),
        new("comment_on_column", "COMMENT ON COLUMN {p}_child.t IS 'text';"),
        new("grant_select", "GRANT SELECT ON {p}_child TO PUBLIC;"),
        new("create_statistics", "CREATE STATISTICS {p}_stats ON parent_id, v FROM {p}_child;"),
        new("analyze", "ANALYZE {p}_child;"),

        // Index maintenance
        new("rename_index", "ALTER INDEX {p}_child_v RENAME TO {p}_child_v2;"),
        new("set_index_fillfactor", "ALTER INDEX {p}_child_v SET (fillfactor = 50);"),
        new("reindex_index", "REINDEX INDEX {p}_child_v;", Rewrites: ["{p}_child_v"]),
        new("reindex_table", "REINDEX TABLE {p}_parent;", Rewrites: ["{p}_parent_code_key", "{p}_parent_pkey"]),
        new("cluster", "CLUSTER {p}_child USING {p}_child_pkey;", Rewrites: Child),

        // Tables, views and materialized views (strong_migrations create_table, Squawk prefer-identity, prefer-text-field, prefer-timestamptz)
        new("create_table_with_foreign_key", "CREATE TABLE {p}_new (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id int NOT NULL REFERENCES {p}_parent (id));"),
        new("create_table_serial_varchar_timestamp", "CREATE TABLE {p}_plain (id serial PRIMARY KEY, name varchar(100), at timestamp);"),
        new("create_existing_table_if_not_exists", "CREATE TABLE IF NOT EXISTS {p}_parent (id int);"),
        new("create_table_like", "CREATE TABLE {p}_copy (LIKE {p}_child INCLUDING ALL);"),
        new("create_table_as", "CREATE TABLE {p}_snapshot AS SELECT * FROM {p}_child;"),
        new("create_view", "CREATE VIEW {p}_all AS SELECT * FROM {p}_child;"),
        new("replace_view", "CREATE OR REPLACE VIEW {p}_named AS SELECT t, v FROM {p}_child;"),
        new("drop_view", "DROP VIEW {p}_named;"),
        new("create_materialized_view", "CREATE MATERIALIZED VIEW {p}_codes AS SELECT id, code FROM {p}_parent;"),
        new("refresh_materialized_view", "REFRESH MATERIALIZED VIEW {p}_totals;", Rewrites: ["{p}_totals", "{p}_totals_parent"]),
        new("refresh_materialized_view_concurrently", "REFRESH MATERIALIZED VIEW CONCURRENTLY {p}_totals;"),
        new("drop_materialized_view", "DROP MATERIALIZED VIEW {p}_totals;"),

        // Truncation (Squawk ban-truncate-cascade)
        new("truncate", "TRUNCATE {p}_loose;", Rewrites: ["{p}_loose"]),
        new("truncate_cascade", "TRUNCATE {p}_parent CASCADE;", Rewrites: ["{p}_child", "{p}_child_pkey", "{p}_child_v", "{p}_parent", "{p}_parent_code_key", "{p}_parent_pkey"]),

        // Partitions
        new("attach_partition", "ALTER TABLE {p}_events ATTACH PARTITION {p}_loose FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"),
        new("detach_partition", "ALTER TABLE {p}_events DETACH PARTITION {p}_events_2025;"),
        new("create_partition", "CREATE TABLE {p}_events_2026 PARTITION OF {p}_events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');"),
        new("drop_partition", "DROP TABLE {p}_events_2025;"),

        // Domains (Squawk ban-create-domain-with-constraint, ban-alter-domain-with-add-constraint)
        new("create_domain_with_check", "CREATE DOMAIN {p}_positive AS int CHECK (VALUE > 0);"),
        new("alter_domain_add_check", "ALTER DOMAIN {p}_posint ADD CONSTRAINT {p}_posint_small CHECK (VALUE < 100000);", Setup: "CREATE DOMAIN {p}_posint AS int CHECK (VALUE > 0);\nCREATE TABLE {p}_dom (n {p}_posint);\nINSERT INTO {p}_dom VALUES (1), (2);"),

        // Sequences
        new("alter_sequence_restart", "ALTER SEQUENCE {p}_seq RESTART WITH 10;"),

        // Data changes and explicit locks (strong_migrations backfill in the migration's transaction, execute)
        new("backfill_update", "UPDATE {p}_child SET v = v + 1;"),
        new("insert_row", "INSERT INTO {p}_parent (id, code) VALUES (1000, 'x');"),
        new("delete_rows", "DELETE FROM {p}_child WHERE v > 50;"),
        new("select_count", "SELECT count(*) FROM {p}_child;"),
        new("select_for_update", "SELECT id FROM {p}_parent FOR UPDATE;"),
        new("lock_share", "LOCK TABLE {p}_child IN SHARE MODE;"),
        new("lock_access_exclusive", "LOCK TABLE {p}_child IN ACCESS EXCLUSIVE MODE;"),
        new("add_column_backfill_set_not_null", "ALTER TABLE {p}_child ADD COLUMN w int;\nUPDATE {p}_child SET w = v;\nALTER TABLE {p}_child ALTER COLUMN w SET NOT NULL;"),

        // CONCURRENTLY and the other statements that run outside a transaction (Transaction: none)
        Concurrent("create_index_concurrently", "CREATE INDEX CONCURRENTLY {p}_child_t ON {p}_child (t);", Known(("{p}_child", ShareUpdateExclusive), ("{p}_child_t", AccessExclusive))),
        Concurrent("create_unique_index_concurrently_if_not_exists", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {p}_parent_name ON {p}_parent (name);", Known(("{p}_parent", ShareUpdateExclusive), ("{p}_parent_name", AccessExclusive))),
        Concurrent("create_partial_index_concurrently", "CREATE INDEX CONCURRENTLY {p}_loose_v ON {p}_loose (v) WHERE v > 10;", Known(("{p}_loose", ShareUpdateExclusive), ("{p}_loose_v", AccessExclusive))),
        Concurrent("create_index_concurrently_on_matview", "CREATE INDEX CONCURRENTLY {p}_totals_children ON {p}_totals (children);", Known(("{p}_totals", ShareUpdateExclusive), ("{p}_totals_children", AccessExclusive))),
        Concurrent("drop_index_concurrently", "DROP INDEX CONCURRENTLY {p}_child_v;", Known(("{p}_child", ShareUpdateExclusive), ("{p}_child_v", AccessExclusive))),
        Concurrent("drop_index_concurrently_if_exists", "DROP INDEX CONCURRENTLY IF EXISTS {p}_totals_parent;", Known(("{p}_totals", ShareUpdateExclusive), ("{p}_totals_parent", AccessExclusive))),
        Concurrent("reindex_index_concurrently", "REINDEX INDEX CONCURRENTLY {p}_child_v;", Known(("{p}_child", ShareUpdateExclusive), ("{p}_child_v", AccessExclusive)), Rewrites: ["{p}_child_v"]),
        Concurrent("reindex_table_concurrently", "REINDEX TABLE CONCURRENTLY {p}_parent;", Known(("{p}_parent", ShareUpdateExclusive), ("{p}_parent_code_key", AccessExclusive), ("{p}_parent_pkey", AccessExclusive)), Rewrites: ["{p}_parent_code_key", "{p}_parent_pkey"]),
        Concurrent("detach_partition_concurrently", "ALTER TABLE {p}_events DETACH PARTITION {p}_events_2025 CONCURRENTLY;", Known(("{p}_events", ShareUpdateExclusive), ("{p}_events_2025", AccessExclusive))),
        Concurrent("vacuum_full", "VACUUM FULL {p}_child;", Known(("{p}_child", AccessExclusive), ("{p}_child_pkey", AccessExclusive), ("{p}_child_v", AccessExclusive)), Rewrites: Child),
        Concurrent("create_and_drop_index_concurrently", "CREATE INDEX CONCURRENTLY {p}_child_t ON {p}_child (t);\nDROP INDEX CONCURRENTLY {p}_child_t;", Known(("{p}_child", ShareUpdateExclusive), ("{p}_child_t", AccessExclusive)), Known(("{p}_child", ShareUpdateExclusive), ("{p}_child_t", AccessExclusive))),
    ];

    /// <summary>The fixture of one case, its extra setup after it.</summary>
    public static string FixtureOf(Case @case, string prefix) =>
        (Fixture + (@case.Setup is null ? string.Empty : "\n" + @case.Setup + "\n")).Replace("{p}", prefix, StringComparison.Ordinal);

    private static Case Concurrent(string name, string sql, params Dictionary<string, LockMode>[] known) => new(name, sql, Known: known);

    private static Case Concurrent(string name, string sql, Dictionary<string, LockMode> known, string[] Rewrites) => new(name, sql, Rewrites: Rewrites, Known: [known]);

    private static Dictionary<string, LockMode> Known(params (string Relation, LockMode Mode)[] locks) => locks.ToDictionary(l => l.Relation, l => l.Mode);

    /// <summary>One case: its statements (one a line), their fixture, what they rewrite, and for CONCURRENTLY the modes known to be taken.</summary>
    /// <param name="Name">What the case is, as a version name.</param>
    /// <param name="Sql">The statements, with <c>{p}</c> for the case's prefix.</param>
    /// <param name="Setup">Extra fixture, with <c>{p}</c>.</param>
    /// <param name="Rewrites">Every relation the statements rewrite, with <c>{p}</c>.</param>
    /// <param name="Known">For a case that runs outside a transaction: per statement, the strongest mode per relation.</param>
    public sealed record Case(string Name, string Sql, string? Setup = null, string[]? Rewrites = null, Dictionary<string, LockMode>[]? Known = null)
    {
        public bool Concurrently => Known is not null;

        public string[] Statements(string prefix) => Sql.Replace("{p}", prefix, StringComparison.Ordinal).Split('\n');
    }
}
