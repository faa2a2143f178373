using Npgsql;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// The floor of a fresh migrate: the same SQL sent with plain Npgsql and nothing else — no lock, no history table, no
/// timeouts, no validation. A transactional file is one command (Npgsql sends its statements as one batch) in a
/// transaction of its own; a <c>Transaction: none</c> file is one command per statement, outside a transaction.
/// </summary>
internal sealed class RawSqlFloor(MigrationCatalog catalog, string connectionString) : MigrationRun(connectionString)
{
    public override async Task RunAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var migration in catalog.Migrations)
        {
            if (migration.TransactionMode == MigrationTransactionMode.Transactional)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using (var command = new NpgsqlCommand(migration.Up.Text, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
                continue;
            }

            foreach (var statement in migration.Up.Statements)
            {
                await using var command = new NpgsqlCommand(statement.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
