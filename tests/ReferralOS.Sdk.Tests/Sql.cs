using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>The few reads and writes the tests make beside the runtime, to arrange a database and to look at it.</summary>
public static class Sql
{
    /// <summary>How long <see cref="EventuallyAsync{T}"/> waits for a state another session reaches: generous, so never a timing assertion.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<List<T>> ListAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>The history as (version, checksum) pairs; empty when schema_migrations does not exist.</summary>
    public static async Task<List<(string Version, string Checksum)>> HistoryAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            return await ListAsync(dataSource, "SELECT version, checksum FROM schema_migrations ORDER BY version", r => (r.GetString(0), r.GetString(1)));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    /// <summary>The tables in the current schema, sorted.</summary>
    public static Task<List<string>> TablesAsync(NpgsqlDataSource dataSource) =>
        ListAsync(dataSource, "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1", r => r.GetString(0));

    /// <summary>
    /// Whether the migration lock is free: a brand-new session (no pool, so never the migrator's own pooled one,
    /// which would re-enter a lock it still held) can take it, and gives it straight back.
    /// </summary>
    public static async Task<bool> MigrationLockIsFreeAsync(string connectionString)
    {
        await using var fresh = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        return await ScalarAsync<bool>(fresh, $"SELECT pg_try_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey}) AND pg_advisory_unlock({MigrationOptions.DefaultAdvisoryLockKey})");
    }

    /// <summary>Whether the migration lease in schema_migrations_lock is free: nobody owns it, or what was owned expired.</summary>
    public static Task<bool> LeaseIsFreeAsync(NpgsqlDataSource dataSource) =>
        ScalarAsync<bool>(dataSource, "SELECT owner IS NULL OR expires_at <= clock_timestamp() FROM schema_migrations_lock");

    /// <summary>Polls a query until it returns a row: for states another session or process reaches in its own time.</summary>
    public static async Task<T> EventuallyAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        while (true)
        {
            var rows = await ListAsync(dataSource, sql, read);
            if (rows.Count > 0)
            {
                return rows[0];
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
