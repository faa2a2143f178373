using Npgsql;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// The floor of an up-to-date check: one <c>SELECT version, checksum FROM schema_migrations</c> on a connection
/// taken open from the pool, every row read — one round trip, nothing compared.
/// </summary>
internal sealed class HistoryFloor(string connectionString, int expectedRows) : MigrationRun(connectionString)
{
    public override async Task RunAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            _ = reader.GetString(0);
            _ = reader.GetString(1);
            rows++;
        }

        if (rows != expectedRows)
        {
            throw new InvalidOperationException($"Expected {expectedRows} history rows, read {rows}.");
        }
    }
}
