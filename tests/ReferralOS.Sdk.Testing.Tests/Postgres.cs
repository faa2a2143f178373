using Npgsql;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>One-line queries for assertions.</summary>
internal static class Postgres
{
    public static async Task<T?> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        return (T?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<bool> DatabaseExistsAsync(string serverConnectionString, string database)
    {
        await using var server = NpgsqlDataSource.Create(serverConnectionString);
        return await ScalarAsync<bool>(server, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", database);
    }

    public static async Task<uint> DatabaseOidAsync(string serverConnectionString, string database)
    {
        await using var server = NpgsqlDataSource.Create(serverConnectionString);
        return await ScalarAsync<uint>(server, "SELECT oid FROM pg_database WHERE datname = $1", database);
    }
}
