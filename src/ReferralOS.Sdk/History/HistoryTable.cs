using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.History;

/// <summary>
/// The history table — by default the specification's <c>schema_migrations(version, applied_at, checksum)</c>, in
/// the schema the connection's <c>search_path</c> finds first — and the production marker the runtime keeps on it.
/// Every statement the runtime sends about either is written here, and every one names the table quoted and, once
/// a run has resolved it (<see cref="InSchema"/>), schema-qualified, so that neither a migration's own
/// <c>SET search_path</c> nor another tool's table of the same name elsewhere can redirect a history write.
/// </summary>
internal sealed class HistoryTable
{
    /// <summary>The specification's table name, used unless <see cref="MigrationOptions.HistoryTable"/> says otherwise.</summary>
    public const string DefaultName = "schema_migrations";

    /// <summary>The comment that marks a database as production. Only an operator removes it, by hand.</summary>
    public const string ProductionMarker = "referralos:environment=production";

    /// <summary>
    /// hashtextextended, which <see cref="SelectIsCurrent"/> needs, came with PostgreSQL 11; before it the up-to-date
    /// check reads the whole history.
    /// </summary>
    public const int DigestMinimumMajorVersion = 11;

    /// <summary>The columns the runtime reads and writes; a table of that name without them belongs to another tool.</summary>
    private static readonly string[] RequiredColumns = ["version", "checksum", "applied_at"];

    private HistoryTable(string? schema, string name)
    {
        Schema = schema;
        Name = name;
        var target = schema is null ? Quote(name) : Quote(schema) + "." + Quote(name);
        Sql = target;
        RegclassLiteral = Literal(target);
    }

    /// <summary>The schema, or null until a run resolves the one <c>search_path</c> finds.</summary>
    public string? Schema { get; }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>How messages name it: <c>schema_migrations</c>, or <c>ops.schema_migrations</c>.</summary>
    public string Display => Schema is null ? Name : Schema + "." + Name;

    /// <summary>The table as SQL: quoted, and schema-qualified once resolved.</summary>
    public string Sql { get; }

    private string RegclassLiteral { get; }

    /// <summary>Reads the option's text: <c>name</c> or <c>schema.name</c>, each part taken literally (it is quoted when sent).</summary>
    /// <exception cref="ArgumentException">Empty, more than one dot, or a part longer than PostgreSQL's 63-byte identifiers.</exception>
    public static HistoryTable Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!TryParseName(text, out var schema, out var name))
        {
            throw new ArgumentException(
                $"{nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)} is '{text}', which is not a history table name: write name or schema.name, e.g. schema_migrations or ops.schema_migrations (each part at most 63 bytes, no surrounding spaces).",
                nameof(text));
        }

        return new HistoryTable(schema, name);
    }

    /// <summary>Reads a table name as the options write one — <c>name</c> or <c>schema.name</c>, each part taken literally — for this table and for another tool's.</summary>
    public static bool TryParseName(string text, out string? schema, out string name)
    {
        var parts = text.Split('.');
        schema = null;
        name = string.Empty;
        if (parts.Length > 2 || parts.Any(p => p.Length == 0 || p.Trim() != p || System.Text.Encoding.UTF8.GetByteCount(p) > 63 || p.Contains('\0', StringComparison.Ordinal)))
        {
            return false;
        }

        schema = parts.Length == 2 ? parts[0] : null;
        name = parts[^1];
        return true;
    }

    /// <summary>A table found in the catalog, by schema and name as they are.</summary>
    public static HistoryTable Of(string schema, string name) => new(schema, name);

    /// <summary>The same table, in the schema a run resolved it to.</summary>
    public HistoryTable InSchema(string schema) => Schema == schema ? this : new HistoryTable(schema, Name);

    /// <summary>
    /// The up-to-date check in one row and one round trip: null when the table does not exist, else whether it holds
    /// exactly the pairs of <paramref name="digest"/> (decided on the server so that no history row travels, see
    /// <see cref="HistoryDigest"/>), and — when the caller needs it — the production marker beside it. The count and
    /// sum run through query_to_xml only after to_regclass found the table, so that a fresh database (every instance of a
    /// first deploy asks) makes the server log no "relation does not exist" error.
    /// </summary>
    /// <remarks>An empty catalog is current when the table is empty; <c>sum</c> over no rows is null, so it is not asked.</remarks>
    public string SelectIsCurrent(HistoryDigest digest, bool withMarker)
    {
        var check = "SELECT count(*) = " + digest.CountLiteral +
            (digest.Count > 0 ? " AND sum(hashtextextended(" + HistoryLine.Sql("version", "checksum") + ", 0)) = " + digest.SumLiteral : string.Empty) +
            " AS ok FROM " + Sql;
        return "SELECT CASE WHEN to_regclass(" + RegclassLiteral + ") IS NULL THEN NULL ELSE pg_catalog.query_to_xml(" + Literal(check) +
               ", false, true, '')::text LIKE '%<ok>true</ok>%' END" +
               (withMarker ? ", " + Marker : string.Empty);
    }

    /// <summary>
    /// One row about the table, read without touching it: the schema it is in (null when it does not exist), its columns
    /// as <c>name type</c>, its comment (the production marker), the schema it would be created in, whether this role
    /// may create it there, and which table carries the production marker (schema and name; this one first, else any
    /// table in any schema) — so that a refusal never depends on the <c>search_path</c> of the caller, nor on the
    /// history table it names (a seed run that forgot <c>--history-table</c> is refused on production all the same).
    /// </summary>
    public string SelectState()
    {
        var creationSchema = Schema is null ? "current_schema()" : Literal(Schema);
        return $"""
            SELECT n.nspname,
                   (SELECT string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                      FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                   {Marker},
                   {creationSchema},
                   (SELECT pg_catalog.has_schema_privilege(s.oid, 'CREATE') FROM pg_catalog.pg_namespace s WHERE s.nspname = {creationSchema}),
                   pg_catalog.has_database_privilege(current_database(), 'CREATE'),
                   (SELECT ARRAY[tn.nspname::text, t.relname::text] FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class t ON t.oid = d.objoid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
                     WHERE d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0 AND d.description = {Literal(ProductionMarker)}
                     ORDER BY t.oid IS NOT DISTINCT FROM r.oid DESC, t.relname = {Literal(Name)} DESC, 1 LIMIT 1),
                   current_user::text,
                   current_database()::text,
                   current_schema()::text
              FROM (SELECT to_regclass({RegclassLiteral}) AS oid) r
              LEFT JOIN pg_catalog.pg_class c ON c.oid = r.oid
              LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            """;
    }

    /// <summary>
    /// The schema the table is in, or would be created in (the configured schema, else the connection's current one);
    /// null when neither exists. Drift leaves out the table and its siblings (<c>&lt;name&gt;_*</c>) there.
    /// </summary>
    public string SelectSchema =>
        $"SELECT COALESCE((SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass({RegclassLiteral})), {(Schema is null ? "current_schema()::text" : Literal(Schema))})";

    /// <summary>The whole history, oldest version first.</summary>
    public string SelectAll => $"SELECT version, checksum, applied_at FROM {Sql} ORDER BY version";

    /// <summary>Creates the table as the specification writes it, after creating its schema when <paramref name="withSchema"/>: one statement each.</summary>
    public IReadOnlyList<string> Create(bool withSchema)
    {
        var table = $"""
            CREATE TABLE IF NOT EXISTS {Sql} (
              version VARCHAR(255) PRIMARY KEY,
              applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
              checksum VARCHAR(64) NOT NULL
            )
            """;
        return withSchema && Schema is not null ? [$"CREATE SCHEMA IF NOT EXISTS {Quote(Schema)}", table] : [table];
    }

    /// <summary>Marks the database production: a comment keeps the specification's DDL untouched and travels with pg_dump.</summary>
    public string MarkProduction => $"COMMENT ON TABLE {Sql} IS {Literal(ProductionMarker)}";

    /// <summary>Removes the marker; only ever printed for an operator, never sent.</summary>
    public string UnmarkProduction => $"COMMENT ON TABLE {Sql} IS NULL";

    /// <summary>Records an applied migration: version and checksum as parameters.</summary>
    public string Insert => $"INSERT INTO {Sql} (version, checksum) VALUES ($1, $2)";

    /// <summary>Records many migrations in one statement, as a baseline does: versions and checksums as two text arrays, in the same order.</summary>
    public string InsertAll => $"INSERT INTO {Sql} (version, checksum) SELECT * FROM unnest($1::text[], $2::text[])";

    /// <summary>Forgets a reverted migration: version as a parameter.</summary>
    public string Delete => $"DELETE FROM {Sql} WHERE version = $1";

    /// <summary>Drops the table (reset, when it lives outside the schema being dropped).</summary>
    public string Drop => $"DROP TABLE IF EXISTS {Sql}";

    /// <summary><see cref="Insert"/> with its values written in, for a dry run's script and for messages that tell an operator what to run.</summary>
    public string InsertLiteral(string version, string checksum) =>
        $"INSERT INTO {Sql} (version, checksum) VALUES ({Literal(version)}, {Literal(checksum)})";

    /// <summary>Sets a recorded checksum, for a message that tells an operator how to repair a row.</summary>
    public string UpdateChecksumLiteral(string version, string checksum) =>
        $"UPDATE {Sql} SET checksum = {Literal(checksum)} WHERE version = {Literal(version)}";

    /// <summary><see cref="Delete"/> with its value written in, for a dry run's printed script.</summary>
    public string DeleteLiteral(string version) => $"DELETE FROM {Sql} WHERE version = {Literal(version)}";

    /// <summary>
    /// The repair log beside the table, <c>&lt;name&gt;_repairs</c> in its schema: one row per deliberate edit of an applied
    /// migration that <c>repair</c> accepted. A sibling, so drift leaves it out like the table itself.
    /// </summary>
    public string RepairsSql => Schema is null ? Quote(RepairsName) : Quote(Schema) + "." + Quote(RepairsName);

    /// <summary>The repair log's name as messages print it.</summary>
    public string RepairsDisplay => Schema is null ? RepairsName : Schema + "." + RepairsName;

    /// <summary>Creates the repair log when it is missing: the version, both checksums, when, the database role and the operator who ran it, and the reason (never empty).</summary>
    public string CreateRepairs => $"""
        CREATE TABLE IF NOT EXISTS {RepairsSql} (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          version VARCHAR(255) NOT NULL,
          old_checksum VARCHAR(64) NOT NULL,
          new_checksum VARCHAR(64) NOT NULL,
          repaired_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          repaired_by TEXT NOT NULL DEFAULT CURRENT_USER,
          operator TEXT,
          reason TEXT NOT NULL CHECK (btrim(reason) <> '')
        )
        """;

    /// <summary>Logs one repair: version, old checksum, new checksum, operator (may be null) and reason as parameters; returns when.</summary>
    public string InsertRepair => $"INSERT INTO {RepairsSql} (version, old_checksum, new_checksum, operator, reason) VALUES ($1, $2, $3, $4, $5) RETURNING repaired_at";

    /// <summary>Sets a recorded checksum, only while it still is the one read: version, new checksum and old checksum as parameters.</summary>
    public string UpdateChecksum => $"UPDATE {Sql} SET checksum = $2 WHERE version = $1 AND checksum IS NOT DISTINCT FROM $3";

    /// <summary>
    /// Each repaired version with the checksum its latest repair accepted, as one XML text (<see cref="ReadRepairs"/>
    /// reads it); null when there is no repair log. Like <see cref="SelectIsCurrent"/>, the log is read through
    /// query_to_xml only after to_regclass found it, so that status, in one round trip, never fails (nor makes the
    /// server log an error) on a database that was never repaired.
    /// </summary>
    public string SelectRepairs =>
        "SELECT CASE WHEN to_regclass(" + Literal(RepairsSql) + ") IS NOT NULL THEN pg_catalog.query_to_xml(" +
        Literal($"SELECT DISTINCT ON (version) version, new_checksum FROM {RepairsSql} ORDER BY version, id DESC") + ", false, true, '')::text END";

    /// <summary>What <see cref="SelectRepairs"/> returned, as version → accepted checksum; empty for null.</summary>
    public static IReadOnlyDictionary<string, string> ReadRepairs(string? xml) =>
        xml is null
            ? new Dictionary<string, string>()
            : System.Xml.Linq.XElement.Parse("<rows>" + xml + "</rows>").Elements("row")
                .ToDictionary(r => (string)r.Element("version")!, r => (string)r.Element("new_checksum")!, StringComparer.Ordinal);

    /// <summary>Whether the columns <see cref="SelectState"/> read are the ones the runtime needs.</summary>
    public static bool HasRequiredColumns(string columns)
    {
        var names = columns.Split(", ").Select(c => c.Split(' ', 2)[0]).ToHashSet(StringComparer.Ordinal);
        return RequiredColumns.All(names.Contains);
    }

    /// <summary>The migration tools whose history table a layout looks like, for the message that refuses it.</summary>
    public static string GuessTool(string columns) => columns switch
    {
        _ when columns.StartsWith("version bigint, dirty boolean", StringComparison.Ordinal) => "golang-migrate's schema_migrations(version, dirty)",
        _ when columns.StartsWith("version character varying", StringComparison.Ordinal) && !columns.Contains(',', StringComparison.Ordinal) => "dbmate's or Rails' schema_migrations(version)",
        _ when columns.Contains("installed_rank", StringComparison.Ordinal) => "Flyway's history table",
        _ when columns.Contains("version_id", StringComparison.Ordinal) && columns.Contains("is_applied", StringComparison.Ordinal) => "goose's goose_db_version",
        _ when columns.Contains("run_on", StringComparison.Ordinal) => "diesel's __diesel_schema_migrations",
        _ => "another tool's table",
    };

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A quoted SQL identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string RepairsName => Name + "_repairs";

    /// <summary>The table's comment, null when the table does not exist; read as pg_description, not obj_description (a SQL function replanned on every call).</summary>
    private string Marker =>
        $"(SELECT description FROM pg_catalog.pg_description WHERE objoid = to_regclass({RegclassLiteral}) AND classoid = 'pg_catalog.pg_class'::regclass AND objsubid = 0)";
}

/// <summary>One row of the history table; a checksum is null only when someone wrote a row by hand without one.</summary>
internal sealed record HistoryRow(string Version, string? Checksum, DateTimeOffset AppliedAt);

/// <summary>
/// What one read of the history found: the table, resolved to its schema; the rows (null when the table does not
/// exist); and whether the database is marked production (by this table, or by any other table).
/// </summary>
internal sealed record HistorySnapshot(HistoryTable Table, List<HistoryRow>? Rows, bool IsProduction, bool IsMarkedHere)
{
    public int Count => Rows?.Count ?? 0;

    /// <summary>Whether the table exists (<see cref="Rows"/> are read only then).</summary>
    public bool Exists { get; init; }

    /// <summary>The table's columns as <c>name type, …</c>; empty when it does not exist.</summary>
    public string Columns { get; init; } = string.Empty;

    /// <summary>Where a missing table would be created: the configured schema, else the connection's current schema (null when its search_path names none that exists).</summary>
    public string? CreationSchema { get; init; }

    /// <summary>Whether this role may create in <see cref="CreationSchema"/>; null when that schema does not exist.</summary>
    public bool? CanCreateInSchema { get; init; }

    /// <summary>Whether this role may create schemas in the database.</summary>
    public bool CanCreateSchema { get; init; }

    /// <summary>The role connected.</summary>
    public string User { get; init; } = string.Empty;

    /// <summary>The database connected to.</summary>
    public string Database { get; init; } = string.Empty;

    /// <summary>The connection's current schema, null when its search_path names none that exists.</summary>
    public string? CurrentSchema { get; init; }

    /// <summary>The table that carries the production marker: this one, or another of any name in any schema; null when none does.</summary>
    public HistoryTable? MarkedTable { get; init; }

    /// <summary>The session the read ran in, when the caller is about to run migrations on it and asked for it.</summary>
    public Migrating.SessionState? Session { get; init; }
}
