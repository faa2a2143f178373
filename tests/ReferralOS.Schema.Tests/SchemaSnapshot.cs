using Npgsql;

namespace ReferralOS.Schema.Tests;

/// <summary>
/// A text picture of everything a schema defines — tables, columns, constraints, indexes, triggers, functions,
/// extensions — so two states of a database can be compared for equality.
/// </summary>
internal static class SchemaSnapshot
{
    private const string Query = """
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
          FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL
        SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL
        SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname || ' ' || pg_get_triggerdef(oid)
          FROM pg_trigger WHERE NOT tgisinternal
        UNION ALL
        SELECT 'function ' || proname || ' ' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
        ORDER BY 1
        """;

    public static async Task<string> TakeAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Query);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
