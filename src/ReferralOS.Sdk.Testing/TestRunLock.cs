using System.Globalization;
using Npgsql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// Marks one test run's databases as alive. A run holds a session advisory lock, keyed by a random run id, on a
/// connection of its own for as long as it lives, and names its databases after that id. PostgreSQL releases the lock
/// when the run's process dies, however it dies, so any later run on the same server can tell a dead run's
/// databases from a live one's and drop them: a killed run leaks nothing on a server that outlives it.
/// </summary>
internal sealed class TestRunLock : IAsyncDisposable
{
    /// <summary>
    /// Every test database's name starts with this, then the run id in hex, then a sequence number; so do the names
    /// of the run's owner role and the run's copies of the templates for it.
    /// </summary>
    public const string DatabasePrefix = "referralos_test_";

    // The two-key advisory lock space of test runs ("ROST"); migrations use the one-key space.
    private const int LockSpace = 0x524F_5354;
    private const int RunIdDigits = 8;

    // About ten seconds of one-millisecond waits for a dead run's backends to exit once ended.
    private const int OrphanExitPolls = 10_000;

    private readonly NpgsqlConnection _connection;

    private TestRunLock(NpgsqlConnection connection, int runId)
    {
        _connection = connection;
        Prefix = DatabasePrefix + runId.ToString("x8", CultureInfo.InvariantCulture) + "_";
    }

    /// <summary>The prefix of this run's database names.</summary>
    public string Prefix { get; }

    public static async Task<TestRunLock> TakeAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Its own unpooled connection: the lock lives exactly as long as this connection.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "referralos-test-run" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var runId = Random.Shared.Next(1, int.MaxValue);
                await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection) { Parameters = { new() { Value = LockSpace }, new() { Value = runId } } };
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    return new TestRunLock(connection, runId);
                }
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The test databases on the server whose run no longer holds its lock: left by a run that was killed.</summary>
    public static async Task<IReadOnlyList<string>> OrphanedDatabasesAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        var live = await LiveRunsAsync(admin, cancellationToken).ConfigureAwait(false);
        return (await DatabasesStartingWithAsync(admin, DatabasePrefix, cancellationToken).ConfigureAwait(false)).Where(name => !IsLive(name, live)).ToArray();
    }

    /// <summary>
    /// Ends the server backends still at work for runs that no longer hold their lock — a clone that a killed run's
    /// pool had under way, named by its application name (<c>referralos_test_&lt;run id&gt;_pool</c>) — and waits for
    /// them to exit, so that a sweep after this sees every database a dead run made: a clone cut short leaves nothing,
    /// a finished one is there to drop.
    /// </summary>
    public static async Task EndOrphanedBackendsAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        var live = await LiveRunsAsync(admin, cancellationToken).ConfigureAwait(false);
        await using var backends = admin.CreateCommand("SELECT pid, application_name FROM pg_stat_activity WHERE starts_with(application_name, $1) AND pid <> pg_backend_pid()");
        backends.Parameters.Add(new() { Value = DatabasePrefix });
        await using var terminate = admin.CreateCommand("SELECT pg_terminate_backend($1)");
        terminate.Parameters.Add(new() { Value = 0 });
        for (var poll = 0; poll < OrphanExitPolls; poll++)
        {
            var orphans = new List<int>();
            await using (var reader = await backends.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!IsLive(reader.GetString(1), live))
                    {
                        orphans.Add(reader.GetInt32(0));
                    }
                }
            }

            if (orphans.Count == 0)
            {
                return;
            }

            foreach (var pid in orphans)
            {
                terminate.Parameters[0].Value = pid;
                await terminate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The roles of runs that no longer hold their lock (<see cref="DatabaseOwnerRole"/>): left by a run that was killed.</summary>
    public static async Task<IReadOnlyList<string>> OrphanedRolesAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        var live = await LiveRunsAsync(admin, cancellationToken).ConfigureAwait(false);
        return (await NamesStartingWithAsync(admin, "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY rolname", DatabasePrefix, cancellationToken).ConfigureAwait(false))
            .Where(name => !IsLive(name, live)).ToArray();
    }

    /// <summary>The databases whose name starts with <paramref name="prefix"/>.</summary>
    public static Task<IReadOnlyList<string>> DatabasesStartingWithAsync(NpgsqlDataSource admin, string prefix, CancellationToken cancellationToken) =>
        NamesStartingWithAsync(admin, "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", prefix, cancellationToken);

    private static async Task<HashSet<long>> LiveRunsAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        var live = new HashSet<long>();
        await using var locks = admin.CreateCommand("SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted");
        locks.Parameters.Add(new() { Value = (long)LockSpace });
        await using var reader = await locks.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            live.Add(reader.GetInt64(0));
        }

        return live;
    }

    /// <summary>Whether a name made from a run's prefix (<c>referralos_test_&lt;run id&gt;_…</c>) belongs to a run that holds its lock.</summary>
    private static bool IsLive(string name, HashSet<long> live)
    {
        var runId = name.AsSpan(DatabasePrefix.Length, Math.Min(RunIdDigits, name.Length - DatabasePrefix.Length));
        return long.TryParse(runId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id) && live.Contains(id);
    }

    private static async Task<IReadOnlyList<string>> NamesStartingWithAsync(NpgsqlDataSource admin, string sql, string prefix, CancellationToken cancellationToken)
    {
        await using var command = admin.CreateCommand(sql);
        command.Parameters.Add(new() { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Releases the lock by closing its connection.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
