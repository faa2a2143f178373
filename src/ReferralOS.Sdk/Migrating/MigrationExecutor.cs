using System.Globalization;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>What every migration of one run shares: the held connection, the lock, the resolved history table, the options and the session the run started in.</summary>
internal sealed record MigrationRun(NpgsqlConnection Connection, MigrationLock Lock, HistoryTable Table, MigrationOptions Options, SessionState Session)
{
    /// <summary>
    /// The commands that end a migration's own session settings: back to the session the run started in on a direct
    /// connection; behind a pooler, where the start was read on whichever server connection answered, back to the
    /// defaults (<see cref="SessionState.Defaults"/>), inside the migration's transaction, so that the server connection
    /// goes back to the pool as it came.
    /// </summary>
    public IReadOnlyList<string> Restore => Lock.KeepsSession ? Session.Restore : SessionState.Defaults.Restore;
}

/// <summary>
/// Runs one migration's Up (or Down) section on a held connection, and describes exactly what it would send for a
/// dry run. A transactional migration is one round trip for its guard, timeouts, statements and history row (a
/// batch inside the transaction) and one for the commit. A <c>Transaction: none</c> migration sends each statement
/// as its own command — PostgreSQL refuses CREATE INDEX CONCURRENTLY in a multi-statement batch — and writes (or
/// removes) its history row, in a transaction of its own, only after all of them succeed and every index it builds is
/// valid. Nothing of a migration's session state outlives it: the runtime's own settings inside a transaction are
/// SET LOCAL, and whatever the file itself set for the session (<c>SET search_path</c>, <c>SET ROLE</c>, pg_dump's
/// <c>set_config</c>) is undone before its history row is written, in the same round trip, by returning the session to
/// the state the run started in (<see cref="SessionState"/>) — on a failure too (a rolled-back transaction undoes its
/// settings by itself; a <c>Transaction: none</c> file's session is restored on every path).
/// </summary>
internal static class MigrationExecutor
{
    /// <summary>How soon the server notices that a migrator died mid-statement (PostgreSQL 14+), ending its session and lock.</summary>
    private const string ClientCheckSetting = "client_connection_check_interval = '1000ms'";

    private static readonly string[] Resets = ["RESET lock_timeout", "RESET statement_timeout"];

    /// <summary>How often an index another session is building is looked at again.</summary>
    private static readonly TimeSpan BuildPoll = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(MigrationRun run, Migration migration, MigrationDirection direction, CancellationToken cancellationToken)
    {
        var statements = Script(migration, direction).Statements;
        try
        {
            if (migration.TransactionMode == MigrationTransactionMode.Transactional)
            {
                await RunInTransactionAsync(run, migration, direction, statements, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RunStatementByStatementAsync(run, migration, direction, statements, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex is not MigrationCanceledException)
        {
            throw Cancelled(migration, direction, ex, cancellationToken);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException && cancellationToken.IsCancellationRequested)
        {
            throw Cancelled(migration, direction, ex, cancellationToken);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            throw ClientTimeout.Expired(ex) ? ClientGaveUp(run, migration, direction, statements.Count, ex) : ConnectionLost(migration, direction, ex);
        }
    }

    /// <summary>What <see cref="RunAsync"/> would send, as text, with the history row's values written in.</summary>
    public static PlannedMigration Plan(HistoryTable table, SessionState session, Migration migration, MigrationDirection direction, MigrationOptions options)
    {
        var transactional = migration.TransactionMode == MigrationTransactionMode.Transactional;
        var commands = new List<string>(Settings(migration, options, local: transactional));
        commands.AddRange(Script(migration, direction).Statements.Select(CommandText));
        commands.AddRange(session.Restore);
        commands.Add(direction == MigrationDirection.Up ? table.InsertLiteral(migration.Version, migration.Checksum) : table.DeleteLiteral(migration.Version));
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

    /// <summary>
    /// The statement that lists which of a migration's <see cref="Migration.ConcurrentIndexes"/> exist INVALID,
    /// schema-qualified (each index is looked for in the schema of the table it is built on), and whether an index is
    /// being built on its table right now: by a session of an instance that died mid-build behind a pooler, which the
    /// server lets finish, having no client check on a server connection the pooler shares.
    /// </summary>
    internal static NpgsqlCommand InvalidIndexQuery(NpgsqlConnection connection, Migration migration, int timeout) => new(
        $"""
        SELECT i.indexrelid::regclass::text, {(connection.PostgreSqlVersion.Major >= 12 ? "EXISTS (SELECT FROM pg_catalog.pg_stat_progress_create_index p WHERE p.relid = i.indrelid AND p.pid <> pg_backend_pid())" : "false")}
          FROM unnest($1::text[], $2::text[]) AS wanted(index_name, table_name)
          JOIN pg_catalog.pg_class t ON t.oid = to_regclass(wanted.table_name)
          JOIN pg_catalog.pg_index i ON i.indexrelid = to_regclass(t.relnamespace::regnamespace::text || '.' || wanted.index_name)
         WHERE NOT i.indisvalid
         ORDER BY 1
        """,
        connection)
    {
        CommandTimeout = timeout,
        Parameters =
        {
            new NpgsqlParameter<string[]> { TypedValue = migration.ConcurrentIndexes.Select(i => i.Index).ToArray() },
            new NpgsqlParameter<string[]> { TypedValue = migration.ConcurrentIndexes.Select(i => i.Table).ToArray() },
        },
    };

    private static async Task RunInTransactionAsync(MigrationRun run, Migration migration, MigrationDirection direction, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var connection = run.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = ClientTimeout.Seconds(StatementTimeout(migration, run.Options), statements.Count + 1) };
        if (!run.Lock.GuardsAtCommit)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(run.Lock.Guard));
        }

        foreach (var setting in Settings(migration, run.Options, local: true))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }

        if (connection.PostgreSqlVersion.Major >= 14)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL " + ClientCheckSetting));
        }

        var first = batch.BatchCommands.Count;
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(CommandText(statement)));
        }

        // The file's own session settings end here, so that the history row is written as the run's role and the next
        // migration starts where this one did; a rollback undoes them by itself.
        foreach (var restore in run.Restore)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(restore));
        }

        batch.BatchCommands.Add(HistoryCommand(run.Table, migration, direction));
        if (run.Lock.GuardsAtCommit)
        {
            // The lease's fencing token, checked last: it locks the lease row until the commit, so no other instance can be
            // granted the lease between the check and the commit, and it renews the lease as late as can be.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(run.Lock.Guard));
        }

        await ExecuteAsync(run, batch, migration, direction, statements, first, statementIndex: -1, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunStatementByStatementAsync(MigrationRun run, Migration migration, MigrationDirection direction, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var connection = run.Connection;
        var options = run.Options;
        var timeout = ClientTimeout.Seconds(StatementTimeout(migration, options));
        if (direction == MigrationDirection.Up)
        {
            await ClearInvalidIndexesAsync(run, migration, timeout, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // Guarded: on a direct connection the settings must land on the lock's backend or nowhere, where the unlock
            // (or the end of that server connection) resets them. Behind a pooler no session setting is sent at all (each
            // statement may run on another server connection, which other clients share): the guard alone renews the
            // lease, and the client's command timeout bounds each statement.
            await using (var settings = new NpgsqlBatch(connection) { Timeout = timeout, BatchCommands = { new NpgsqlBatchCommand(run.Lock.Guard) } })
            {
                if (run.Lock.KeepsSession)
                {
                    foreach (var setting in Settings(migration, options, local: false))
                    {
                        settings.BatchCommands.Add(new NpgsqlBatchCommand(setting));
                    }

                    if (connection.PostgreSqlVersion.Major >= 14)
                    {
                        settings.BatchCommands.Add(new NpgsqlBatchCommand("SET " + ClientCheckSetting));
                    }
                }

                try
                {
                    await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
                {
                    throw await run.Lock.MovedAsync($"applying migration {migration.Version}").ConfigureAwait(false);
                }
            }

            for (var i = 0; i < statements.Count; i++)
            {
                await using var single = new NpgsqlBatch(connection) { Timeout = timeout, BatchCommands = { new NpgsqlBatchCommand(CommandText(statements[i])) } };
                await ExecuteAsync(run, single, migration, direction, statements, firstStatement: 0, statementIndex: i, cancellationToken).ConfigureAwait(false);
            }

            if (direction == MigrationDirection.Up && await InvalidIndexesAsync(run, migration, timeout, cancellationToken).ConfigureAwait(false) is { Count: > 0 } invalid)
            {
                throw new InvalidIndexException(migration.Version, migration.Path, invalid, beforeRun: false);
            }
        }
        catch (Exception ex) when (!MigrationLock.IsLockLoss(ex))
        {
            await RestoreSessionAsync(run, timeout).ConfigureAwait(false);
            throw;
        }

        // On success the restore travels with the history row.
        await RecordAsync(run, migration, direction, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Before a <c>Transaction: none</c> file runs: an index it builds that exists INVALID would be skipped by
    /// IF NOT EXISTS and recorded as done, so it is refused, or — when the options allow — dropped to be built anew.
    /// </summary>
    private static async Task ClearInvalidIndexesAsync(MigrationRun run, Migration migration, int timeout, CancellationToken cancellationToken)
    {
        var invalid = await InvalidIndexesAsync(run, migration, timeout, cancellationToken, waitForBuilds: StatementTimeout(migration, run.Options)).ConfigureAwait(false);
        if (invalid.Count == 0)
        {
            return;
        }

        if (!run.Options.RebuildInvalidIndexes)
        {
            throw new InvalidIndexException(migration.Version, migration.Path, invalid, beforeRun: true);
        }

        foreach (var index in invalid)
        {
            await using var drop = new NpgsqlCommand($"DROP INDEX CONCURRENTLY IF EXISTS {index}", run.Connection) { CommandTimeout = timeout };
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The migration's indexes that exist INVALID. With <paramref name="waitForBuilds"/>, an index is first waited for
    /// while a build on its table is in progress (for at most that long), polling outside any transaction: an index still
    /// being built is INVALID until its build ends, and dropping it then would wait for the build, which may itself wait
    /// for this session's snapshot.
    /// </summary>
    private static async Task<IReadOnlyList<string>> InvalidIndexesAsync(MigrationRun run, Migration migration, int timeout, CancellationToken cancellationToken, TimeSpan? waitForBuilds = null)
    {
        if (migration.ConcurrentIndexes.Count == 0)
        {
            return [];
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var command = InvalidIndexQuery(run.Connection, migration, timeout);
        while (true)
        {
            var invalid = new List<string>();
            var building = false;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    invalid.Add(reader.GetString(0));
                    building |= reader.GetBoolean(1);
                }
            }

            if (!building || waitForBuilds is not { } patience || System.Diagnostics.Stopwatch.GetElapsedTime(started) >= patience)
            {
                return invalid;
            }

            await Task.Delay(BuildPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The history row of a <c>Transaction: none</c> file, after the guard and the session's restore (so that it is written
    /// as the run's role), in one round trip that the server runs as one implicit transaction: a moved backend fails the
    /// guard and writes nothing.
    /// </summary>
    private static async Task RecordAsync(MigrationRun run, Migration migration, MigrationDirection direction, int timeout, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlBatch(run.Connection) { Timeout = timeout };
        record.BatchCommands.Add(new NpgsqlBatchCommand(run.Lock.Guard));
        if (run.Lock.KeepsSession)
        {
            foreach (var restore in run.Session.Restore)
            {
                record.BatchCommands.Add(new NpgsqlBatchCommand(restore));
            }
        }

        record.BatchCommands.Add(HistoryCommand(run.Table, migration, direction));

        try
        {
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
        {
            throw await run.Lock.MovedAsync($"recording migration {migration.Version}").ConfigureAwait(false);
        }
        catch (PostgresException ex) when (!cancellationToken.IsCancellationRequested && !IsConnectionLoss(ex))
        {
            await RestoreSessionAsync(run, timeout).ConfigureAwait(false);
            var statement = direction == MigrationDirection.Up
                ? run.Table.InsertLiteral(migration.Version, migration.Checksum)
                : run.Table.DeleteLiteral(migration.Version);
            var done = direction == MigrationDirection.Up ? "applied" : "rolled back";
            throw new MigrationFailedException(
                $"Migration {migration.Version} ({migration.Path}) runs without a transaction: all its statements completed, but writing its history row to {run.Table.Display} failed: " +
                $"{ex.MessageText} (SQLSTATE {ex.SqlState}). It is {done} and not recorded. Fix the cause, then record it by hand: {statement}; " +
                "or run migrate again, which runs its idempotent statements once more and records it.",
                migration.Version,
                migration.Path,
                line: null,
                ex.SqlState,
                ex);
        }
    }

    /// <summary>The session of a <c>Transaction: none</c> file, restored on failure and cancellation alike (success restores it with the history row), while the session is there.</summary>
    private static async Task RestoreSessionAsync(MigrationRun run, int timeout)
    {
        var connection = run.Connection;
        if (connection.FullState != System.Data.ConnectionState.Open || !run.Lock.KeepsSession)
        {
            // Closed, its session gone; or behind a pooler, where there is no session of the run's to restore.
            return;
        }

        try
        {
            await using var reset = new NpgsqlBatch(connection) { Timeout = timeout };
            foreach (var command in run.Session.Restore)
            {
                reset.BatchCommands.Add(new NpgsqlBatchCommand(command));
            }

            await reset.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The session cannot be reset: keep it out of the pool so that its settings die with it.
            NpgsqlConnection.ClearPool(connection);
        }
    }

    /// <summary>
    /// Undoes the runtime's own session settings of a <c>Transaction: none</c> file, for the lock's release, the one round
    /// trip sure to reach the lock's backend behind a pooler (the migration's own round trips restore the whole session).
    /// </summary>
    internal static string[] SessionResets(NpgsqlConnection connection) =>
        connection.PostgreSqlVersion.Major >= 14 ? [.. Resets, "RESET client_connection_check_interval"] : Resets;

    private static SqlScript Script(Migration migration, MigrationDirection direction) =>
        direction == MigrationDirection.Up
            ? migration.Up
            : migration.Down ?? throw new InvalidOperationException($"Migration {migration.Version} has no Down section; rollback validates this before it starts.");

    private static TimeSpan StatementTimeout(Migration migration, MigrationOptions options) => migration.StatementTimeout ?? options.StatementTimeout;

    /// <summary>The file's timeouts, or the options' defaults: SET LOCAL inside a transaction, SET (undone by the session's restore) outside one.</summary>
    private static string[] Settings(Migration migration, MigrationOptions options, bool local)
    {
        var set = local ? "SET LOCAL" : "SET";
        return
        [
            $"{set} lock_timeout = '{Milliseconds(migration.LockTimeout ?? options.LockTimeout)}ms'",
            $"{set} statement_timeout = '{Milliseconds(StatementTimeout(migration, options))}ms'",
        ];
    }

    private static async Task ExecuteAsync(MigrationRun run, NpgsqlBatch batch, Migration migration, MigrationDirection direction, IReadOnlyList<SqlStatement> statements, int firstStatement, int statementIndex, CancellationToken cancellationToken)
    {
        var options = run.Options;
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
        {
            // The batch reached another backend than the one holding the lock (a transaction pooler); the failed guard
            // aborted its transaction, so none of it is applied. End that transaction before anything else is sent.
            if (batch.Transaction is { } transaction)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }

            throw await run.Lock.MovedAsync($"applying migration {migration.Version}").ConfigureAwait(false);
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
                $" The statement ran longer than the migration's statement_timeout of {Milliseconds(StatementTimeout(migration, options))}ms ({Source(migration.StatementTimeout, "Statement-Timeout", nameof(MigrationOptions.StatementTimeout))}): " +
                "make it cheaper, or give this file a longer -- Statement-Timeout:.",
            PostgresErrorCodes.InsufficientPrivilege =>
                " The role the migrator connects as lacks a privilege this statement needs: grant it (for new objects, typically GRANT CREATE ON SCHEMA <schema> TO <role>), or migrate as the role that owns the schema.",
            _ => string.Empty,
        };
        var outcome = migration.TransactionMode == MigrationTransactionMode.Transactional
            ? direction == MigrationDirection.Up
                ? " The migration's transaction was rolled back and nothing was recorded: fix the statement (in a new migration if this one is released) and run migrate again."
                : " The rollback step's transaction was rolled back: the migration is still applied and recorded."
            : $" This migration runs without a transaction: statements before #{index + 1} stay done and its history row was left as it was. " +
              "Its statements are idempotent (IF NOT EXISTS / IF EXISTS), so fix the cause and run again; a failed CREATE INDEX CONCURRENTLY leaves an INVALID index, which the next run reports with the DROP INDEX CONCURRENTLY to run first.";
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
        var verb = direction == MigrationDirection.Up ? "applying" : "rolling back";
        return new MigrationFailedException(
            $"Lost the connection to PostgreSQL while {verb} migration {migration.Version} ({migration.Path}): {ex.Message}. " +
            $"Nothing half-done is recorded: {Leaves(migration)}. Check the server (and who ended the session), then run again: what is still pending runs.",
            migration.Version,
            migration.Path,
            line: null,
            sqlState: (ex as PostgresException)?.SqlState,
            ex);
    }

    /// <summary>Npgsql stopped waiting: the server did not answer within the statement timeout and the grace, so the server or the network stalled.</summary>
    private static MigrationFailedException ClientGaveUp(MigrationRun run, Migration migration, MigrationDirection direction, int statements, NpgsqlException ex)
    {
        var verb = direction == MigrationDirection.Up ? "applying" : "rolling back";
        var limit = StatementTimeout(migration, run.Options);
        return new MigrationFailedException(
            $"Gave up waiting for PostgreSQL while {verb} migration {migration.Version} ({migration.Path}): no answer within the client's limit, which is the statement_timeout of {Milliseconds(limit)}ms " +
            $"({Source(migration.StatementTimeout, "Statement-Timeout", nameof(MigrationOptions.StatementTimeout))}) for each of {statements} statement(s) plus {ClientTimeout.Grace.TotalSeconds:0}s. " +
            $"The server should have ended a statement that ran that long itself, so the server or the network stalled. Nothing half-done is recorded: {Leaves(migration)}. " +
            "Check the server's load and the network, then run again.",
            migration.Version,
            migration.Path,
            line: null,
            sqlState: null,
            ex);
    }

    private static MigrationCanceledException Cancelled(Migration migration, MigrationDirection direction, Exception ex, CancellationToken token)
    {
        var verb = direction == MigrationDirection.Up ? "applying" : "rolling back";
        var outcome = migration.TransactionMode == MigrationTransactionMode.Transactional
            ? "Its transaction was rolled back: nothing of it is applied or recorded."
            : "It runs without a transaction: statements that completed stay done, it is not recorded, and an interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index, which status reports and the next migrate names with the DROP INDEX CONCURRENTLY to run.";
        return new MigrationCanceledException(
            $"Cancelled while {verb} migration {migration.Version} ({migration.Path}). {outcome} Run the command again to finish.",
            migration.Version,
            ex,
            token);
    }

    private static string Leaves(Migration migration) =>
        migration.TransactionMode == MigrationTransactionMode.Transactional
            ? "PostgreSQL rolls back the open transaction of a session that ends, and the migration and its history row commit together, so it is either wholly applied and recorded or not at all"
            : "this migration runs without a transaction, so statements that completed before the loss stay done, its history row is written only after all of them, and an interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index that the next run reports";

    /// <summary>SQLSTATE class 08 (connection exception) or 57P01–57P03 (the server ended the session).</summary>
    private static bool IsConnectionLoss(PostgresException ex) =>
        ex.SqlState.StartsWith("08", StringComparison.Ordinal) ||
        ex.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    private static NpgsqlBatchCommand HistoryCommand(HistoryTable table, Migration migration, MigrationDirection direction)
    {
        var command = new NpgsqlBatchCommand(direction == MigrationDirection.Up ? table.Insert : table.Delete);
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
