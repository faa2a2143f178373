using System.Diagnostics;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The migration lock behind a pooler: a lease (<see cref="LeaseTable"/>) granted for
/// <see cref="MigrationOptions.LeaseDuration"/>, renewed by every round trip of the run and, while a long statement
/// keeps the run's connection busy, by a heartbeat on a connection of its own every third of the lease. Each
/// migration's transaction ends with the lease's guard, which checks the fencing token and keeps the row locked to the
/// commit, so a holder that lost its lease (it stalled past the expiry and another instance was granted it) can never
/// commit a migration: it fails with <see cref="MigrationLeaseLostException"/>. Nothing of it lives in a session, so any
/// server connection a pooler hands out will do, and a holder that dies leaves a lease that expires by itself.
/// </summary>
internal sealed class LeaseLock : MigrationLock
{
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromMilliseconds(500);

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlDataSource _dataSource;
    private readonly LeaseTable _table;
    private readonly TimeSpan _lease;
    private readonly int _timeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;
    private bool _released;

    private LeaseLock(NpgsqlConnection connection, NpgsqlDataSource dataSource, LeaseTable table, long token, TimeSpan lease, int timeout)
    {
        _connection = connection;
        _dataSource = dataSource;
        _table = table;
        _lease = lease;
        _timeout = timeout;
        Token = token;
        Guard = table.Guard(token, lease);
        _heartbeat = Task.Run(HeartbeatAsync);
    }

    /// <summary>The fencing token this holder was granted.</summary>
    public long Token { get; }

    /// <inheritdoc/>
    public override string Guard { get; }

    /// <inheritdoc/>
    public override bool GuardsAtCommit => true;

    /// <inheritdoc/>
    public override bool KeepsSession => false;

    /// <summary>Who a lease is granted to, as the lease row and messages show it: the host and the process.</summary>
    public static string Owner { get; } = $"{Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>
    /// Takes the lease, creating its table beside the history table when missing, polling while another instance holds
    /// it (or a direct connection's session lock is held) for up to <see cref="MigrationOptions.LockWaitTimeout"/>.
    /// </summary>
    public static async Task<LeaseLock> AcquireLeaseAsync(NpgsqlConnection connection, NpgsqlDataSource dataSource, HistoryTable history, MigrationOptions options, int commandTimeout, CancellationToken cancellationToken)
    {
        if (DataSources.PreparesAcrossTransactions(connection) is { } prepares)
        {
            throw new TransactionPoolingException(prepares);
        }

        var table = await ResolveAsync(connection, history, commandTimeout, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var backOff = FirstBackOff;
        await using var poll = new NpgsqlCommand(table.Acquire(Owner, options.LeaseDuration, options.AdvisoryLockKey), connection) { CommandTimeout = commandTimeout };
        while (true)
        {
            long? token;
            string? holder;
            long expiresInMs;
            await using (var reader = await poll.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                token = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                holder = reader.IsDBNull(1) ? null : reader.GetString(1);
                expiresInMs = reader.GetInt64(2);
            }

            if (token is { } granted)
            {
                return new LeaseLock(connection, dataSource, table, granted, options.LeaseDuration, commandTimeout);
            }

            var waited = Stopwatch.GetElapsedTime(started);
            if (waited >= options.LockWaitTimeout)
            {
                throw new MigrationLockTimeoutException(waited, options.AdvisoryLockKey, table.Display, expiresInMs > 0 ? holder : null);
            }

            var delay = Min(backOff, options.LockWaitTimeout - waited);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            backOff = Min(backOff * 2, LongestBackOff);
        }
    }

    /// <inheritdoc/>
    public override async Task<MigrationException> MovedAsync(string doing)
    {
        var now = "another instance";
        try
        {
            await using var command = new NpgsqlCommand(_table.SelectHolder, _connection) { CommandTimeout = _timeout };
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                now = reader.IsDBNull(0) ? $"nobody now (token {reader.GetInt64(1)})" : $"{reader.GetString(0)} (token {reader.GetInt64(1)})";
            }
        }
        catch (NpgsqlException)
        {
            // The message says what it can without it.
        }

        _released = true;
        return new MigrationLeaseLostException(
            $"While {doing}, this instance ({Owner}) found that its migration lease in {_table.Display} (token {Token}) was no longer its own: it was not renewed within " +
            $"{nameof(MigrationOptions)}.{nameof(MigrationOptions.LeaseDuration)} of {_lease.TotalSeconds:0.###}s (the process, its connection or the server stalled that long), so it expired and was granted to {now}. " +
            "Nothing of the migration in progress was committed or recorded: the lease's token is checked inside each migration's transaction. Migrations committed before stay applied. " +
            $"Run migrate again, which applies what is still pending; if stalls that long are expected, raise {nameof(MigrationOptions)}.{nameof(MigrationOptions.LeaseDuration)}.",
            _table.Display,
            Token);
    }

    /// <inheritdoc/>
    public override async Task<bool> ReleaseAsync()
    {
        if (_released)
        {
            return true;
        }

        _released = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var release = new NpgsqlCommand(_table.Release(Token), _connection) { CommandTimeout = _timeout };
                await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                // The run's connection broke: give the lease back on another, or it waits out its expiry.
                await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
                await using var release = new NpgsqlCommand(_table.Release(Token), connection) { CommandTimeout = _timeout };
                await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // Unreachable, or the table went with a reset's schema: a lease nobody renews expires by itself.
        }

        return true;
    }

    /// <inheritdoc/>
    public override Task ReleaseAfterAsync(string done) => ReleaseAsync();

    /// <inheritdoc/>
    protected override async ValueTask StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>
    /// The schema the lease lives in (the history table's, see <see cref="LeaseTable.SelectSchema"/>), and the table itself,
    /// created when missing: by the first instance that gets there, the others finding it done.
    /// </summary>
    private static async Task<LeaseTable> ResolveAsync(NpgsqlConnection connection, HistoryTable history, int timeout, CancellationToken cancellationToken)
    {
        string? schema;
        bool? canCreateInSchema;
        bool canCreateSchema;
        string user;
        string database;
        await using (var command = new NpgsqlCommand(LeaseTable.SelectSchema(history), connection) { CommandTimeout = timeout })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            schema = reader.IsDBNull(0) ? null : reader.GetString(0);
            canCreateInSchema = reader.IsDBNull(1) ? null : reader.GetBoolean(1);
            canCreateSchema = reader.GetBoolean(2);
            user = reader.GetString(3);
            database = reader.GetString(4);
        }

        if (schema is null)
        {
            throw new InvalidHistoryException(
                $"Cannot place the migration lease beside the history table {history.Display}: the connection's search_path names no schema that exists. " +
                $"Set search_path (e.g. Search Path=public in the connection string), or name the schema in {nameof(MigrationOptions)}.{nameof(MigrationOptions.HistoryTable)} (e.g. public.{history.Name}). Nothing was changed.",
                history.Display);
        }

        var table = LeaseTable.For(history.InSchema(schema));
        await using var exists = new NpgsqlCommand(table.SelectExists, connection) { CommandTimeout = timeout };
        for (var attempt = 0; !(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!; attempt++)
        {
            if (canCreateInSchema == false || (canCreateInSchema is null && !canCreateSchema))
            {
                throw new InsufficientPrivilegeException(
                    $"Cannot create the migration lease table {table.Display}, which a migration run takes its lock in behind a pooler: the role may not create it there. " +
                    $"Create it once as the schema's owner ({string.Join("; ", table.Create(withSchema: true))}; then GRANT SELECT, UPDATE ON {table.Sql} to the migrating role), or grant CREATE.",
                    canCreateInSchema is null ? $"GRANT CREATE ON DATABASE {HistoryTable.Quote(database)} TO {HistoryTable.Quote(user)}" : $"GRANT CREATE ON SCHEMA {HistoryTable.Quote(schema)} TO {HistoryTable.Quote(user)}");
            }

            await using var create = new NpgsqlBatch(connection) { Timeout = timeout };
            foreach (var statement in table.Create(withSchema: canCreateInSchema is null))
            {
                create.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (attempt < 3 && ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateSchema)
            {
                // Another instance created it at the same moment (CREATE ... IF NOT EXISTS is not safe against that): look again.
            }
        }

        return table;
    }

    /// <summary>
    /// Renews the lease every third of its duration on a connection of its own, so that a statement that keeps the run's
    /// connection busy longer than the lease (a large CREATE INDEX CONCURRENTLY) does not lose it. A renewal that finds the
    /// token changed stops: the run's next guard reports the loss. A renewal that fails (the server or the pooler is
    /// unreachable) is tried again at the next beat; the fencing token keeps the run correct whatever the heartbeat does.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        var beat = _lease / 3;
        NpgsqlConnection? connection = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(beat, _stop.Token).ConfigureAwait(false);
                try
                {
                    connection ??= await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                    await using var renew = new NpgsqlCommand(_table.Renew(Token, _lease), connection) { CommandTimeout = _timeout };
                    if (await renew.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false) is null)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
                {
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Released.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
