namespace ReferralOS.Sdk.History;

/// <summary>
/// The history table, <c>schema_migrations(version, applied_at, checksum)</c>, exactly as the specification
/// defines it; every statement the runtime sends about it is here.
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

    /// <summary>The whole history, oldest version first. The up-to-date check is this one query.</summary>
    public const string SelectAll = "SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version";

    public const string Insert = "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)";

    public const string Delete = "DELETE FROM schema_migrations WHERE version = $1";

    /// <summary>SQLSTATE 42P01: the table does not exist yet, which means nothing has been applied.</summary>
    public const string UndefinedTable = "42P01";
}

/// <summary>One row of <c>schema_migrations</c>.</summary>
internal sealed record HistoryRow(string Version, string Checksum, DateTimeOffset AppliedAt);
