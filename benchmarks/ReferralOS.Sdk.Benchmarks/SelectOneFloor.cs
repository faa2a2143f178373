using Npgsql;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// The physical limit of any up-to-date check: one bare <c>SELECT 1</c> on a connection taken open from the pool —
/// one round trip, nothing read from a table.
/// </summary>
internal sealed class SelectOneFloor(string connectionString) : MigrationRun(connectionString)
{
    public override async Task RunAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        if (await command.ExecuteScalarAsync() is not 1)
        {
            throw new InvalidOperationException("SELECT 1 did not answer 1.");
        }
    }
}
