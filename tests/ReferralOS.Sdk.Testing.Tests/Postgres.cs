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

    /// <summary>Whether the database is gone within a minute: the kit drops a test's database in the background.</summary>
    public static async Task<bool> DroppedSoonAsync(string serverConnectionString, string database)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await DatabaseExistsAsync(serverConnectionString, database))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return true;
    }

    /// <summary>The databases whose name starts with <paramref name="prefix"/>, e.g. a run's (<c>referralos_test_&lt;run&gt;_</c>).</summary>
    public static async Task<IReadOnlyList<string>> DatabasesStartingWithAsync(string serverConnectionString, string prefix)
    {
        await using var server = NpgsqlDataSource.Create(serverConnectionString);
        return await TestRunLock.DatabasesStartingWithAsync(server, prefix, TestContext.Current.CancellationToken);
    }

    /// <summary>The run prefix of a test database's name: <c>referralos_test_&lt;run&gt;_</c>.</summary>
    public static string RunPrefixOf(string database) => database[..(database.LastIndexOf('_') + 1)];

    public static async Task<uint> DatabaseOidAsync(string serverConnectionString, string database)
    {
        await using var server = NpgsqlDataSource.Create(serverConnectionString);
        return await ScalarAsync<uint>(server, "SELECT oid FROM pg_database WHERE datname = $1", database);
    }
}
