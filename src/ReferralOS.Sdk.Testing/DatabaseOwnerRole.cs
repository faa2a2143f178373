using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// The role a run's tests log in as when <see cref="TestPostgresServerOptions.NonSuperuser"/> is on: a login role of
/// the run's own, named after the run (<c>referralos_test_&lt;run&gt;_owner</c>), not a superuser and unable to create
/// databases or roles, that owns each test database and everything the migrations made in it.
/// </summary>
/// <remarks>
/// The shared templates stay owned by the user that built them, so runs with and without the option share them. Once a
/// run, for each template it uses, the role gets a copy of its own (<c>referralos_test_&lt;run&gt;_o_…</c>) in which
/// every schema, table, view, sequence, routine and type outside the system schemas and extensions is handed to it;
/// each test database is then cloned from that copy, owned by the role, at the same cost as without the option. The
/// copies are dropped with the run's databases, and the role after them.
/// </remarks>
internal sealed class DatabaseOwnerRole
{
    private const string EmptyTemplate = "template1";

    // Run in the copy, as the run's superuser: one ALTER … OWNER TO $1 statement for each schema, table, view,
    // sequence, routine and type outside the system schemas. Extension members stay the extension's, a sequence that
    // belongs to a column moves with its table, and so does a table's row type.
    private const string HandOverSql = """
        WITH member AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
        user_schema AS (SELECT oid, nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema')
        SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, $1) FROM user_schema n
        WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_namespace'::regclass AND m.objid = n.oid)
        UNION ALL
        SELECT format('ALTER %s %I.%I OWNER TO %I', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname, $1)
        FROM pg_class c JOIN user_schema n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
          AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
        UNION ALL
        SELECT format('ALTER %s %s OWNER TO %I', CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END, p.oid::regprocedure, $1)
        FROM pg_proc p JOIN user_schema n ON n.oid = p.pronamespace
        WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
        UNION ALL
        SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype, $1)
        FROM pg_type t JOIN user_schema n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd', 'r', 'c')
          AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
          AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
        """;

    private readonly NpgsqlDataSource _admin;
    private readonly string _runPrefix;
    private readonly string _password;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _copies = new(StringComparer.Ordinal);

    private DatabaseOwnerRole(NpgsqlDataSource admin, string runPrefix, string password)
    {
        _admin = admin;
        _runPrefix = runPrefix;
        _password = password;
        Name = runPrefix + "owner";
    }

    /// <summary>The role's name.</summary>
    public string Name { get; }

    /// <summary>Creates the run's role: it may log in, and nothing more until it owns a database.</summary>
    public static async Task<DatabaseOwnerRole> CreateAsync(NpgsqlDataSource admin, string runPrefix, string serverDescription, CancellationToken cancellationToken)
    {
        await using (var superuser = admin.CreateCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        {
            if (await superuser.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new TestPostgresException(
                    $"{nameof(TestPostgresServerOptions.NonSuperuser)} needs a superuser to create the tests' role and hand it their databases, and the user of {serverDescription} is not one. " +
                    $"Connect as a superuser, or turn the option off (unset {TestPostgresServer.NonSuperuserVariable}).");
            }
        }

        var role = new DatabaseOwnerRole(admin, runPrefix, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await using var create = admin.CreateCommand(
            $"CREATE ROLE {SqlIdentifier.Quote(role.Name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{role._password}'");
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return role;
    }

    /// <summary>A connection string to a database as this role, on the server <paramref name="adminConnectionString"/> names.</summary>
    public string ConnectionStringFor(string adminConnectionString, string database) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString) { Username = Name, Password = _password, Database = database }.ConnectionString;

    /// <summary>
    /// The run's copy of a shared template (or of an empty database, for null), everything in it owned by this role;
    /// made once per run and template, however many tests ask at once.
    /// </summary>
    public Task<string> TemplateAsync(string? sharedTemplate, string cloneStrategy, CancellationToken cancellationToken) =>
        _copies.GetOrAdd(sharedTemplate ?? EmptyTemplate, source => new Lazy<Task<string>>(() => CopyAsync(source, cloneStrategy)))
            .Value.WaitAsync(cancellationToken);

    /// <summary>Drops the role; a role that still owns a kept database stays, so the printed connection string keeps working.</summary>
    public Task DropAsync(CancellationToken cancellationToken) => DropAsync(_admin, Name, cancellationToken);

    /// <summary>Drops a role of this kind, unless it still owns something (a kept database): then it stays.</summary>
    public static async Task DropAsync(NpgsqlDataSource admin, string role, CancellationToken cancellationToken)
    {
        try
        {
            await using var drop = admin.CreateCommand($"DROP ROLE IF EXISTS {SqlIdentifier.Quote(role)}");
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
        {
            // It owns a database kept for a failed test: both stay until someone drops them.
        }
    }

    private async Task<string> CopyAsync(string source, string cloneStrategy)
    {
        // The copy is not cancelled with one caller's token: other tests wait for the same copy.
        var copy = _runPrefix + "o_" + (source == EmptyTemplate ? "empty" : source[TemplateDatabases.NamePrefix.Length..]);
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {SqlIdentifier.Quote(copy)} OWNER {SqlIdentifier.Quote(Name)} TEMPLATE {SqlIdentifier.Quote(source)}{cloneStrategy}"))
        {
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        // Unpooled: no idle connection may stay open in a database that is about to be cloned.
        var builder = new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = copy, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        var statements = new List<string>();
        await using (var list = new NpgsqlCommand(HandOverSql, connection) { Parameters = { new() { Value = Name } } })
        await using (var reader = await list.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                statements.Add(reader.GetString(0));
            }
        }

        foreach (var statement in statements)
        {
            await using var handOver = new NpgsqlCommand(statement, connection);
            await handOver.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return copy;
    }
}
