using Npgsql;

namespace ReferralOS.Cli.Tests;

/// <summary>Reads a database the CLI worked on, to check what it did.</summary>
internal static class Sql
{
    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public static async Task<bool> TableExistsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        command.Parameters.Add(new() { Value = table });
        return (bool)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Polls a query until it returns a row (every 20 ms, for a minute): for states another process reaches in its own time.</summary>
    public static async Task WaitForAsync(NpgsqlDataSource dataSource, string sql)
    {
        for (var attempt = 0; attempt < 3000; attempt++)
        {
            await using var command = dataSource.CreateCommand(sql);
            if (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) is not null)
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Never true: {sql}");
    }
}
