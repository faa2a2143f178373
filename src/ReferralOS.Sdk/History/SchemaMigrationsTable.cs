namespace ReferralOS.Sdk.History;

/// <summary>
/// The history table, <c>schema_migrations(version, applied_at, checksum)</c>, exactly as the specification
/// defines it, and the production marker the runtime keeps on it; every statement the runtime sends about
/// either is here.
/// </summary>
internal static class SchemaMigrationsTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version VARCHAR(255) PRIMARY KEY,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          checksum VARCHAR(64) NOT NULL
        )
        """;

    /// <summary>The whole history, oldest version first. With <see cref="SelectMarker"/>, one round trip.</summary>
    public const string SelectAll = "SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version";

    /// <summary>
    /// The table's comment, where the production marker lives (null when the table does not exist). A comment
    /// keeps the specification's DDL untouched, travels with pg_dump, and is read in the same round trip as the
    /// history.
    /// </summary>
    public const string SelectMarker = "SELECT " + Marker;

    /// <summary>
    /// hashtextextended, which <see cref="SelectIsCurrent"/> needs, came with PostgreSQL 11; before it the up-to-date
    /// check reads the whole history.
    /// </summary>
    public const int DigestMinimumMajorVersion = 11;

    /// <summary>
    /// What <c>obj_description(to_regclass('schema_migrations'), 'pg_class')</c> returns, written out: that function is
    /// a SQL function the server plans again on every call, which made reading the marker cost twice the history.
    /// </summary>
    private const string Marker =
        "(SELECT description FROM pg_catalog.pg_description WHERE objoid = to_regclass('schema_migrations') AND classoid = 'pg_catalog.pg_class'::regclass AND objsubid = 0)";

    /// <summary>
    /// The up-to-date check in one row: whether the history holds exactly the pairs of <paramref name="digest"/>,
    /// decided on the server so that no history row travels (see <see cref="HistoryDigest"/>), and — when the caller
    /// needs it — the production marker beside it. Fails with 42P01 when the table does not exist.
    /// </summary>
    /// <remarks>An empty catalogue is current when the table is empty; <c>sum</c> over no rows is null, so it is not asked.</remarks>
    public static string SelectIsCurrent(HistoryDigest digest, bool withMarker) =>
        "SELECT count(*) = " + digest.CountLiteral +
        (digest.Count > 0 ? " AND sum(hashtextextended(version || ' ' || checksum, 0)) = " + digest.SumLiteral : string.Empty) +
        (withMarker ? ", " + Marker : string.Empty) +
        " FROM schema_migrations";

    /// <summary>The comment that marks a database as production. Only an operator removes it, by hand.</summary>
    public const string ProductionMarker = "referralos:environment=production";

    public const string MarkProduction = $"COMMENT ON TABLE schema_migrations IS '{ProductionMarker}'";

    public const string Insert = "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)";

    public const string Delete = "DELETE FROM schema_migrations WHERE version = $1";

    /// <summary>SQLSTATE 42P01: the table does not exist yet, which means nothing has been applied.</summary>
    public const string UndefinedTable = "42P01";

    /// <summary><see cref="Insert"/> with its values written in, for a dry run's printed script.</summary>
    public static string InsertLiteral(Migration migration) =>
        $"INSERT INTO schema_migrations (version, checksum) VALUES ({Literal(migration.Version)}, {Literal(migration.Checksum)})";

    /// <summary><see cref="Delete"/> with its value written in, for a dry run's printed script.</summary>
    public static string DeleteLiteral(Migration migration) =>
        $"DELETE FROM schema_migrations WHERE version = {Literal(migration.Version)}";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>One row of <c>schema_migrations</c>.</summary>
internal sealed record HistoryRow(string Version, string Checksum, DateTimeOffset AppliedAt);

/// <summary>What one read of the history found: the rows (null when the table does not exist) and whether the database is marked production.</summary>
internal sealed record HistorySnapshot(List<HistoryRow>? Rows, bool IsProduction)
{
    /// <summary>No <c>schema_migrations</c> table: nothing applied, and no marker.</summary>
    public static readonly HistorySnapshot Missing = new(null, IsProduction: false);

    public int Count => Rows?.Count ?? 0;
}
