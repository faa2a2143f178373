using Npgsql;
using ReferralOS.Sdk.Migrating;

namespace ReferralOS.Sdk.Seeding;

/// <summary>Runs one seed: its statements as one batch in one transaction, counting the rows its INSERTs wrote.</summary>
internal static class SeedExecutor
{
    /// <summary>Runs the seed under <paramref name="statementTimeout"/> (SET LOCAL), the client waiting as long as the server may run it.</summary>
    public static async Task<int> RunAsync(NpgsqlConnection connection, SeedScript seed, TimeSpan statementTimeout, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = ClientTimeout.Seconds(statementTimeout, seed.Script.Statements.Count) };
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL statement_timeout = '{(long)Math.Ceiling(statementTimeout.TotalMilliseconds)}ms'"));
        foreach (var statement in seed.Script.Statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(MigrationExecutor.CommandText(statement)));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var index = MigrationExecutor.FailedCommandIndex(batch, ex) - 1;
            var statement = index >= 0 ? seed.Script.Statements[index] : null;
            var where = statement is null ? seed.Path : $"{seed.Path}:{statement.LineOf(ex.Position)}";
            throw new SeedFailedException(
                $"Seed {seed.Version} failed at {where}: {ex.MessageText} (SQLSTATE {ex.SqlState}). Its transaction was rolled back; " +
                "check that every migration is applied (migrate first) and that the seed's values fit the schema.",
                seed.Version,
                ex);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var inserted = 0L;
        foreach (NpgsqlBatchCommand command in batch.BatchCommands)
        {
            if (command.StatementType == StatementType.Insert)
            {
                inserted += command.RecordsAffected;
            }
        }

        return (int)Math.Min(inserted, int.MaxValue);
    }
}
