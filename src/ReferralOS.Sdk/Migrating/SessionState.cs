using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The session a run starts in — its session user, its role, and every setting made in the session itself — and the
/// commands that put the session back there after each migration. A migration's <c>SET search_path</c>, pg_dump's
/// <c>set_config('search_path', '', false)</c> or <c>SET ROLE</c> is session-wide even inside a transaction (only
/// <c>SET LOCAL</c> ends with it), so without this it would run the history write as another role and carry into
/// every later migration of the run, which psql — a new session per file — never does.
/// </summary>
/// <remarks>
/// <c>RESET ALL</c> returns every setting to its default for this session (the connection string's startup values,
/// then <c>ALTER ROLE/DATABASE … SET</c>, then the server's); settings the caller made in the session before the run
/// (source <c>session</c>) are then set again. <c>RESET ALL</c> leaves the role and session user alone, so those are
/// set explicitly, session user first (setting it drops the role).
/// </remarks>
internal sealed class SessionState
{
    /// <summary>One row: the session user, the role (<c>none</c> when not set) and the settings made in the session, by name.</summary>
    public const string Capture =
        "SELECT session_user::text, pg_catalog.current_setting('role'), pg_catalog.array_agg(name::text ORDER BY name), pg_catalog.array_agg(setting ORDER BY name) " +
        "FROM pg_catalog.pg_settings WHERE source = 'session' AND name NOT IN ('role', 'session_authorization')";

    private SessionState(string sessionUser, string role, IReadOnlyList<(string Name, string Value)> settings)
    {
        var restore = new List<string>
        {
            "RESET ALL",
            $"SELECT pg_catalog.set_config('session_authorization', {HistoryTable.Literal(sessionUser)}, false), pg_catalog.set_config('role', {HistoryTable.Literal(role)}, false)",
        };
        if (settings.Count > 0)
        {
            restore.Add("SELECT pg_catalog.set_config(name, setting, false) FROM (VALUES " +
                string.Join(", ", settings.Select(s => $"({HistoryTable.Literal(s.Name)}, {HistoryTable.Literal(s.Value)})")) + ") AS s(name, setting)");
        }

        Restore = restore;
    }

    /// <summary>
    /// The session as a new one starts, for a run behind a pooler, where no session lasts: every setting back to its
    /// default, the role and session user to the one the pooler logged in as. Sent only inside a migration's transaction,
    /// which keeps one server connection from its first statement to its commit.
    /// </summary>
    public static SessionState Defaults { get; } = new(["RESET ALL", "RESET SESSION AUTHORIZATION", "RESET ROLE"]);

    private SessionState(IReadOnlyList<string> restore) => Restore = restore;

    /// <summary>The commands, in order, that return the session to this state; sent in the round trip that ends each migration.</summary>
    public IReadOnlyList<string> Restore { get; }

    /// <summary>Reads the row of <see cref="Capture"/>.</summary>
    public static SessionState Read(NpgsqlDataReader reader)
    {
        var names = reader.IsDBNull(2) ? [] : reader.GetFieldValue<string[]>(2);
        var values = reader.IsDBNull(3) ? [] : reader.GetFieldValue<string[]>(3);
        return new SessionState(reader.GetString(0), reader.GetString(1), names.Zip(values).ToArray());
    }
}
