using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Everything a refused baseline must leave as it was, in one string: every schema, and every table of every schema
/// with its row count — ReferralOS's history tables and other tools' alike. The CLI's tests link this file.
/// </summary>
public static class DatabaseState
{
    public static async Task<string> ReadAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (SELECT string_agg(nspname::text, ',' ORDER BY nspname) FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema')
                   || ' | ' ||
                   coalesce((SELECT string_agg(format('%s.%s=%s', schemaname, tablename,
                                     (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', schemaname, tablename), false, true, '')))[1]::text), ',' ORDER BY schemaname, tablename)
                               FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')), '')
            """);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
