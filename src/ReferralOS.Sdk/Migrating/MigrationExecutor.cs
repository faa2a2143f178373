using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// Runs one migration on a held connection. A transactional migration is one round trip for its statements and
/// history row (a batch inside the transaction) and one for the commit; a <c>Transaction: none</c> migration
/// sends each statement as its own command and writes the history row after all of them succeed.
/// </summary>
internal static class MigrationExecutor
{
    public static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, MigrationOptions options, CancellationToken cancellationToken)
    {
        var lockTimeout = Milliseconds(migration.LockTimeout ?? options.LockTimeout);
        var statementTimeout = Milliseconds(migration.StatementTimeout ?? options.StatementTimeout);
        var statements = migration.Up.Statements;
        try
        {
            if (migration.TransactionMode == MigrationTransactionMode.Transactional)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL lock_timeout = '{lockTimeout}ms'"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL statement_timeout = '{statementTimeout}ms'"));
                foreach (var statement in statements)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(CommandText(statement)));
                }

                batch.BatchCommands.Add(HistoryInsert(migration));
                await ExecuteAsync(batch, migration, statements, firstStatement: 2, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            await using (var settings = new NpgsqlBatch(connection))
            {
                settings.BatchCommands.Add(new NpgsqlBatchCommand($"SET lock_timeout = '{lockTimeout}ms'"));
                settings.BatchCommands.Add(new NpgsqlBatchCommand($"SET statement_timeout = '{statementTimeout}ms'"));
                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < statements.Count; i++)
            {
                await using var single = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand(CommandText(statements[i])) } };
                await ExecuteAsync(single, migration, [statements[i]], firstStatement: 0, cancellationToken, statementIndex: i).ConfigureAwait(false);
            }

            await using var record = new NpgsqlBatch(connection);
            record.BatchCommands.Add(HistoryInsert(migration));
            record.BatchCommands.Add(new NpgsqlBatchCommand("RESET lock_timeout"));
            record.BatchCommands.Add(new NpgsqlBatchCommand("RESET statement_timeout"));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException && !cancellationToken.IsCancellationRequested)
        {
            throw new MigrationFailedException(
                $"Lost the connection to PostgreSQL while applying migration {migration.Version} ({migration.Path}): {ex.Message}. " +
                "The server rolls back the open transaction of a dropped session, so nothing of it was recorded; check the server and retry.",
                migration.Version,
                migration.Path,
                line: null,
                sqlState: null,
                ex);
        }
    }

    private static async Task ExecuteAsync(NpgsqlBatch batch, Migration migration, IReadOnlyList<SqlStatement> statements, int firstStatement, CancellationToken cancellationToken, int statementIndex = -1)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var index = ex.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) - firstStatement : -1;
            var statement = index >= 0 && index < statements.Count ? statements[index] : null;
            throw Failure(migration, statement, statementIndex >= 0 ? statementIndex : index, ex);
        }
    }

    private static MigrationFailedException Failure(Migration migration, SqlStatement? statement, int index, PostgresException ex)
    {
        var line = statement is null ? (int?)null : ex.Position > 0 ? statement.LineOf(ex.Position) : statement.Line;
        var where = line is null ? migration.Path : $"{migration.Path}:{line}";
        var detail = ex.Detail is { Length: > 0 } d ? $" ({d})" : string.Empty;
        var outcome = migration.TransactionMode == MigrationTransactionMode.Transactional
            ? "The migration's transaction was rolled back and nothing was recorded: fix the statement in a new file if this one is released, or in place if it is not, and run migrate again."
            : $"This migration runs without a transaction: statements before #{index + 1} stay applied and no history row was written. " +
              "Its statements are idempotent (IF NOT EXISTS), so fix the cause and run migrate again; for CREATE INDEX CONCURRENTLY, drop the INVALID index it left first.";
        return new MigrationFailedException(
            $"Migration {migration.Version} failed at {where}: {ex.MessageText}{detail} (SQLSTATE {ex.SqlState}). {outcome}",
            migration.Version,
            migration.Path,
            line,
            ex.SqlState,
            ex);
    }

    private static NpgsqlBatchCommand HistoryInsert(Migration migration) => new(SchemaMigrationsTable.Insert)
    {
        Parameters =
        {
            new NpgsqlParameter<string> { TypedValue = migration.Version },
            new NpgsqlParameter<string> { TypedValue = migration.Checksum },
        },
    };

    /// <summary>The statement without its closing semicolon: a batch command is one statement.</summary>
    internal static string CommandText(SqlStatement statement) =>
        statement.Sql.EndsWith(';') ? statement.Sql[..^1] : statement.Sql;

    private static string Milliseconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
