using System.Globalization;

namespace ReferralOS.Sdk.History;

/// <summary>
/// The migration lease: one row in <c>&lt;history table&gt;_lock</c>, beside the history table, that serialises runs
/// reaching the database through a pooler, where no session lasts. The row says who holds the lease (<c>owner</c>),
/// until when (<c>expires_at</c>, on the server's clock, so that no client clock matters), when the holder last renewed
/// it (<c>heartbeat_at</c>), and a fencing token that grows by one with every grant. Every statement the runtime sends
/// about it is written here, as <see cref="HistoryTable"/> writes those about the history.
/// </summary>
/// <remarks>
/// Correctness rests on the token, not on the clock: a holder's every transaction under the lease ends with
/// <see cref="Guard"/>, which renews the row only where the token is still the one this holder was granted and fails
/// the transaction otherwise, and which keeps the row locked until that transaction commits. A lease can only be granted
/// anew (<see cref="Acquire"/>) once it expired and while nobody has the row locked, so between the guard and the commit
/// no other instance can be granted it, and a holder that lost its lease can never commit a migration.
/// Waiters never wait on the row (<c>FOR UPDATE SKIP LOCKED</c>): each poll is one short statement, after which the waiter
/// is idle outside any transaction and holds no snapshot that a holder's <c>CREATE INDEX CONCURRENTLY</c> would wait for.
/// </remarks>
internal sealed class LeaseTable
{
    /// <summary>What the table's name adds to the history table's.</summary>
    public const string Suffix = "_lock";

    /// <summary>
    /// The setting the guard asks for when the token is no longer this holder's: none such exists, so the server fails
    /// the statement with 42704 and a message that names what happened, even in its own log.
    /// </summary>
    public const string LostSetting = "referralos.migration_lease_lost_by_token_";

    private readonly string _regclassLiteral;

    private LeaseTable(HistoryTable history)
    {
        Schema = history.Schema;
        Name = LockName(history.Name);
        Sql = Schema is null ? HistoryTable.Quote(Name) : HistoryTable.Quote(Schema) + "." + HistoryTable.Quote(Name);
        _regclassLiteral = HistoryTable.Literal(Sql);
    }

    /// <summary>The schema, the history table's; null until resolved.</summary>
    public string? Schema { get; }

    /// <summary>The table name: the history table's with <see cref="Suffix"/>, cut to PostgreSQL's 63 bytes as the server would cut it.</summary>
    public string Name { get; }

    /// <summary>How messages name it.</summary>
    public string Display => Schema is null ? Name : Schema + "." + Name;

    /// <summary>The table as SQL, quoted and schema-qualified.</summary>
    public string Sql { get; }

    /// <summary>The lease table of a history table, in the same schema.</summary>
    public static LeaseTable For(HistoryTable history) => new(history);

    /// <summary>
    /// One row: the schema the lease table lives in — the history table's when it exists, else the configured one,
    /// else the connection's current schema, where the history table would be created — and whether this role may
    /// create there (the role and the database named last). Read before the lease is taken, so that the lease sits where the run will find the history.
    /// </summary>
    public static string SelectSchema(HistoryTable history)
    {
        var configured = history.Schema is null ? "current_schema()" : HistoryTable.Literal(history.Schema);
        var target = history.Schema is null ? HistoryTable.Quote(history.Name) : HistoryTable.Quote(history.Schema) + "." + HistoryTable.Quote(history.Name);
        return $"""
            SELECT s.name, (SELECT pg_catalog.has_schema_privilege(n.oid, 'CREATE') FROM pg_catalog.pg_namespace n WHERE n.nspname = s.name),
                   pg_catalog.has_database_privilege(current_database(), 'CREATE'), current_user::text, current_database()::text
              FROM (SELECT coalesce((SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                                      WHERE c.oid = to_regclass({HistoryTable.Literal(target)})), {configured}) AS name) s
            """;
    }

    /// <summary>
    /// Creates the table and its one row when missing, after its schema when <paramref name="withSchema"/>: one statement
    /// each, safe to run from many instances at once (a creation that loses the race is retried by the caller).
    /// </summary>
    public IReadOnlyList<string> Create(bool withSchema)
    {
        var statements = new List<string>();
        if (withSchema && Schema is not null)
        {
            statements.Add($"CREATE SCHEMA IF NOT EXISTS {HistoryTable.Quote(Schema)}");
        }

        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {Sql} (
              singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
              token bigint NOT NULL DEFAULT 0,
              owner text,
              acquired_at timestamptz,
              heartbeat_at timestamptz,
              expires_at timestamptz NOT NULL DEFAULT 'epoch'
            )
            """);
        statements.Add($"INSERT INTO {Sql} (singleton) VALUES (true) ON CONFLICT DO NOTHING");
        return statements;
    }

    /// <summary>
    /// Whether the row exists, read without touching a missing table (so a fresh database logs no error): the first
    /// statement of the first poll, which creates the table when it answers false.
    /// </summary>
    public string SelectExists => $"SELECT to_regclass({_regclassLiteral}) IS NOT NULL";

    /// <summary>
    /// One poll, one row: the token granted (null when the lease is held by someone else), and the holder as it stands
    /// after the poll — owner, and milliseconds until its lease expires (negative when expired). A lease held by a
    /// session-lock holder on a direct connection (<paramref name="advisoryKey"/>) is not granted either, so that
    /// instances behind a pooler and direct ones exclude each other: the transaction-scoped advisory lock is released
    /// with the statement's own transaction and so cannot be stranded on a pooled server connection.
    /// </summary>
    public string Acquire(string owner, TimeSpan lease, long advisoryKey) => $"""
        WITH granted AS (
          UPDATE {Sql} SET token = token + 1, owner = {HistoryTable.Literal(owner)}, acquired_at = clock_timestamp(), heartbeat_at = clock_timestamp(),
                 expires_at = clock_timestamp() + {Interval(lease)}
           WHERE singleton AND singleton IN (SELECT singleton FROM {Sql} WHERE expires_at <= clock_timestamp() FOR UPDATE SKIP LOCKED)
             AND pg_catalog.pg_try_advisory_xact_lock({advisoryKey.ToString(CultureInfo.InvariantCulture)})
          RETURNING token, owner, expires_at)
        SELECT g.token, coalesce(g.owner, l.owner), (extract(epoch FROM coalesce(g.expires_at, l.expires_at) - clock_timestamp()) * 1000)::bigint
          FROM {Sql} l LEFT JOIN granted g ON true
        """;

    /// <summary>
    /// The statement that ends every transaction under the lease, and starts every other round trip: it renews the lease
    /// where the token is still <paramref name="token"/>, and otherwise fails with 42704 naming <see cref="LostSetting"/>,
    /// which aborts the transaction it is in. The renewal locks the row until the commit (see the remarks).
    /// </summary>
    public string Guard(long token, TimeSpan lease)
    {
        var text = token.ToString(CultureInfo.InvariantCulture);
        return $"""
            WITH renewed AS (UPDATE {Sql} SET heartbeat_at = clock_timestamp(), expires_at = clock_timestamp() + {Interval(lease)} WHERE singleton AND token = {text} RETURNING 1)
            SELECT pg_catalog.current_setting(CASE WHEN EXISTS (SELECT FROM renewed) THEN 'server_version_num' ELSE '{LostSetting}{text}' END)
            """;
    }

    /// <summary>The heartbeat: renews the lease while the token is still <paramref name="token"/>; no row when it is not.</summary>
    public string Renew(long token, TimeSpan lease) =>
        $"UPDATE {Sql} SET heartbeat_at = clock_timestamp(), expires_at = clock_timestamp() + {Interval(lease)} WHERE singleton AND token = {token.ToString(CultureInfo.InvariantCulture)} RETURNING 1";

    /// <summary>Gives the lease back: expired at once, the token kept (it only grows), the owner cleared; nothing when it is no longer this holder's.</summary>
    public string Release(long token) =>
        $"UPDATE {Sql} SET owner = NULL, expires_at = clock_timestamp() WHERE singleton AND token = {token.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The holder as it stands: owner, token and milliseconds until expiry; for messages.</summary>
    public string SelectHolder => $"SELECT owner, token, (extract(epoch FROM expires_at - clock_timestamp()) * 1000)::bigint FROM {Sql}";

    /// <summary>
    /// For a direct connection's session lock, which must also exclude a lease holder behind a pooler: true when the
    /// lease table exists and its lease has not expired; read without touching a missing table.
    /// </summary>
    public string SelectIsHeld =>
        $"(to_regclass({_regclassLiteral}) IS NOT NULL AND pg_catalog.query_to_xml({HistoryTable.Literal($"SELECT expires_at > clock_timestamp() AS held FROM {Sql}")}, false, true, '')::text LIKE '%<held>true</held>%')";

    /// <summary>Whether an error is <see cref="Guard"/> failing: the lease is no longer the holder's.</summary>
    public static bool IsLost(Npgsql.PostgresException ex) =>
        ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedObject && ex.MessageText.Contains(LostSetting, StringComparison.Ordinal);

    /// <summary>The lease table's name for a history table: the suffix kept when the name is at PostgreSQL's 63-byte limit.</summary>
    private static string LockName(string history)
    {
        var name = history + Suffix;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > 63)
        {
            history = history[..^1];
            name = history + Suffix;
        }

        return name;
    }

    private static string Interval(TimeSpan lease) =>
        $"interval '{((long)Math.Ceiling(lease.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)} milliseconds'";
}
