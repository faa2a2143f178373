using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// Runs one migration's Up (or Down) section on a held connection, and describes exactly what it would send for a
/// dry run. A transactional migration is one round trip for its timeouts, statements and history row (a batch
/// inside the transaction) and one for the commit. A <c>Transaction: none</c> migration sends each statement as
/// its own command — PostgreSQL refuses CREATE INDEX CONCURRENTLY in a multi-statement batch — and writes (or
/// removes) its history row only after all of them succeed.
/// </summary>
internal static class MigrationExecutor
{
    public static async Task RunAsync(NpgsqlConnection connection, Migration migration, MigrationDirection direction, MigrationOptions options, CancellationToken cancellationToken)
    {
        var statements = Script(migration, direction).Statements;
        try
        {
            if (migration.TransactionMode == MigrationTransactionMode.Transactional)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var setting in Settings(migration, options, local: true))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
                }

                var first = batch.BatchCommands.Count;
                foreach (var statement in statements)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(CommandText(statement)));
                }

                batch.BatchCommands.Add(HistoryCommand(migration, direction));
                await ExecuteAsync(batch, migration, direction, options, statements, first, statementIndex: -1, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            await using (var settings = new NpgsqlBatch(connection))
            {
                foreach (var setting in Settings(migration, options, local: false))
                {
                    settings.BatchCommands.Add(new NpgsqlBatchCommand(setting));
                }

                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < statements.Count; i++)
            {
                await using var single = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand(CommandText(statements[i])) } };
                await ExecuteAsync(single, migration, direction, options, statements, firstStatement: 0, statementIndex: i, cancellationToken).ConfigureAwait(false);
            }

            await using var record = new NpgsqlBatch(connection);
            record.BatchCommands.Add(HistoryCommand(migration, direction));
            foreach (var reset in Resets)
            {
                record.BatchCommands.Add(new NpgsqlBatchCommand(reset));
            }

            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException && !cancellationToken.IsCancellationRequested)
        {
            throw ConnectionLost(migration, direction, ex);
        }
    }

    /// <summary>What <see cref="RunAsync"/> would send, as text, with the history row's values written in.</summary>
    public static PlannedMigration Plan(Migration migration, MigrationDirection direction, MigrationOptions options)
    {
        var transactional = migration.TransactionMode == MigrationTransactionMode.Transactional;
        var commands = new List<string>(Settings(migration, options, local: transactional));
        commands.AddRange(Script(migration, direction).Statements.Select(CommandText));
        commands.Add(direction == MigrationDirection.Up ? SchemaMigrationsTable.InsertLiteral(migration) : SchemaMigrationsTable.DeleteLiteral(migration));
        if (!transactional)
        {
            commands.AddRange(Resets);
        }

        return new PlannedMigration(migration.Version, migration.Path, migration.TransactionMode, commands);
    }

    /// <summary>
    /// Which command of a batch failed. Npgsql names it on the exception only when the connection string sets
    /// Include Failed Batched Command; otherwise it is the first command without a completion tag, since the server
    /// runs a batch's commands in order and stops at the first error. -1 when not known.
    /// </summary>
    internal static int FailedCommandIndex(NpgsqlBatch batch, PostgresException ex)
    {
        if (ex.BatchCommand is { } named)
        {
            return batch.BatchCommands.IndexOf(named);
        }

        for (var i = 0; i < batch.BatchCommands.Count; i++)
        {
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The statement without its closing semicolon: a batch command is one statement.</summary>
    internal static string CommandText(SqlStatement statement) =>
        statement.Sql.EndsWith(';') ? statement.Sql[..^1] : statement.Sql;

    private static readonly string[] Resets = ["RESET lock_timeout", "RESET statement_timeout"];

    private static SqlScript Script(Migration migration, MigrationDirection direction) =>
        direction == MigrationDirection.Up
            ? migration.Up
            : migration.Down ?? throw new InvalidOperationException($"Migration {migration.Version} has no Down section; rollback validates this before it starts.");

    /// <summary>The file's timeouts, or the options' defaults: SET LOCAL inside a transaction, SET (then RESET) outside one.</summary>
    private static string[] Settings(Migration migration, MigrationOptions options, bool local)
    {
        var set = local ? "SET LOCAL" : "SET";
        return
        [
            $"{set} lock_timeout = '{Milliseconds(migration.LockTimeout ?? options.LockTimeout)}ms'",
            $"{set} statement_timeout = '{Milliseconds(migration.StatementTimeout ?? options.StatementTimeout)}ms'",
        ];
    }

    private static async Task ExecuteAsync(NpgsqlBatch batch, Migration migration, MigrationDirection direction, MigrationOptions options, IReadOnlyList<SqlStatement> statements, int firstStatement, int statementIndex, CancellationToken cancellationToken)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (IsConnectionLoss(ex))
            {
                throw ConnectionLost(migration, direction, ex);
            }

            var index = statementIndex >= 0 ? statementIndex : FailedCommandIndex(batch, ex) - firstStatement;
            var statement = index >= 0 && index < statements.Count ? statements[index] : null;
            throw Failure(migration, direction, options, statement, index, ex);
        }
    }

    private static MigrationFailedException Failure(Migration migration, MigrationDirection direction, MigrationOptions options, SqlStatement? statement, int index, PostgresException ex)
    {
        var line = statement?.LineOf(ex.Position);
        var where = line is null ? migration.Path : $"{migration.Path}:{line}";
        var detail = ex.Detail is { Length: > 0 } d ? $" ({d})" : string.Empty;
        var section = direction == MigrationDirection.Up ? "Migration" : "Rollback of migration";
        var hint = ex.SqlState switch
        {
            PostgresErrorCodes.LockNotAvailable =>
                $" Another session held a lock the statement needed for longer than the migration's lock_timeout of {Milliseconds(migration.LockTimeout ?? options.LockTimeout)}ms ({Source(migration.LockTimeout, "Lock-Timeout", nameof(MigrationOptions.LockTimeout))}): " +
                "retry when the blocking transaction has ended (find it in pg_locks and pg_stat_activity).",
            PostgresErrorCodes.QueryCanceled =>
                $" The statement ran longer than the migration's statement_timeout of {Milliseconds(migration.StatementTimeout ?? options.StatementTimeout)}ms ({Source(migration.StatementTimeout, "Statement-Timeout", nameof(MigrationOptions.StatementTimeout))}): " +
                "make it cheaper, or give this file a longer -- Statement-Timeout:.",
            _ => string.Empty,
        };
        var outcome = migration.TransactionMode == MigrationTransactionMode.Transactional
            ? direction == MigrationDirection.Up
                ? " The migration's transaction was rolled back and nothing was recorded: fix the statement (in a new migration if this one is released) and run migrate again."
                : " The rollback step's transaction was rolled back: the migration is still applied and recorded."
            : $" This migration runs without a transaction: statements before #{index + 1} stay done and its history row was left as it was. " +
              "Its statements are idempotent (IF NOT EXISTS / IF EXISTS), so fix the cause and run again; a failed CREATE INDEX CONCURRENTLY leaves an INVALID index to drop first (DROP INDEX CONCURRENTLY).";
        return new MigrationFailedException(
            $"{section} {migration.Version} failed at {where}: {ex.MessageText}{detail} (SQLSTATE {ex.SqlState}).{hint}{outcome}",
            migration.Version,
            migration.Path,
            line,
            ex.SqlState,
            ex);
    }

    /// <summary>The session ended under the migration: a network failure, a server restart, or pg_terminate_backend.</summary>
    private static MigrationFailedException ConnectionLost(Migration migration, MigrationDirection direction, NpgsqlException ex)
    {
        var outcome = migration.TransactionMode == MigrationTransactionMode.Transactional
            ? "PostgreSQL rolls back the open transaction of a session that ends, and the migration and its history row commit together, so it is either wholly applied and recorded or not at all"
            : "this migration runs without a transaction, so statements that completed before the loss stay done, and its history row is written only after all of them";
        var verb = direction == MigrationDirection.Up ? "applying" : "rolling back";
        return new MigrationFailedException(
            $"Lost the connection to PostgreSQL while {verb} migration {migration.Version} ({migration.Path}): {ex.Message}. " +
            $"Nothing half-done is recorded: {outcome}. Check the server (and who ended the session), then run again: what is still pending runs.",
            migration.Version,
            migration.Path,
            line: null,
            sqlState: (ex as PostgresException)?.SqlState,
            ex);
    }

    /// <summary>SQLSTATE class 08 (connection exception) or 57P01–57P03 (the server ended the session).</summary>
    private static bool IsConnectionLoss(PostgresException ex) =>
        ex.SqlState.StartsWith("08", StringComparison.Ordinal) ||
        ex.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    private static NpgsqlBatchCommand HistoryCommand(Migration migration, MigrationDirection direction)
    {
        var command = new NpgsqlBatchCommand(direction == MigrationDirection.Up ? SchemaMigrationsTable.Insert : SchemaMigrationsTable.Delete);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Version });
        if (direction == MigrationDirection.Up)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Checksum });
        }

        return command;
    }

    private static string Source(TimeSpan? fromFile, string directive, string option) =>
        fromFile is null ? $"{nameof(MigrationOptions)}.{option}" : $"the file's -- {directive}:";

    private static string Milliseconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
