using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Scratch;

/// <summary>
/// A throwaway database on the same server as a target, for work that must not touch the target: building the
/// schema the migrations make (drift), or running a migration on a copy of the target (explain). It is created
/// empty (from <c>template1</c>, as a database made by <c>createdb</c> is) or as a copy of a template database the
/// role owns, has a unique name that says what made it (<c>referralos_scratch_&lt;purpose&gt;_&lt;random&gt;</c>, with a
/// comment saying it is safe to drop), and is dropped on dispose — forcibly on PostgreSQL 13 and later, after ending
/// its sessions before that — whatever happened in between. Creating it needs the CREATEDB privilege.
/// </summary>
/// <remarks>
/// Connections to it carry the target's credentials: its connection string with the database changed, the password
/// kept (<see cref="NpgsqlConnection.CloneWith(string)"/>). A data source whose password comes from a provider
/// callback has none to copy; such a target needs a password in the connection string or a passfile.
/// </remarks>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    /// <summary>Every scratch database's name starts with this, so an operator can find one a killed process left.</summary>
    public const string NamePrefix = "referralos_scratch_";

    /// <summary>Where the admin connection goes when the template is the target itself: CREATE DATABASE … TEMPLATE needs no session on the template.</summary>
    private const string MaintenanceDatabase = "postgres";

    /// <summary>DROP DATABASE … WITH (FORCE) came with PostgreSQL 13.</summary>
    private const int ForceDropMajorVersion = 13;

    /// <summary>How long a clone waits for the template's last sessions (the caller's own connections just closed) to end.</summary>
    private static readonly TimeSpan TemplateBusyPatience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan TemplateBusyPoll = TimeSpan.FromMilliseconds(50);

    private readonly string _adminConnectionString;
    private bool _disposed;

    private ScratchDatabase(string name, string? template, string adminConnectionString, string connectionString)
    {
        Name = name;
        Template = template;
        _adminConnectionString = adminConnectionString;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database's name, e.g. <c>referralos_scratch_drift_3f9c2a61b0d4</c>.</summary>
    public string Name { get; }

    /// <summary>The database it was copied from; null when it was created empty.</summary>
    public string? Template { get; }

    /// <summary>A connection string to it, with the target's credentials; never print it (use <see cref="DataSources.Redact"/>).</summary>
    public string ConnectionString { get; }

    /// <summary>Connections to it; disposed with it.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Creates an empty database on the target's server.</summary>
    /// <param name="target">A data source for any database on the server; its credentials are used.</param>
    /// <param name="purpose">What the database is for, in its name: lower-case letters, digits and underscores, e.g. <c>drift</c>.</param>
    /// <param name="cancellationToken">Stops the creation; nothing is left behind.</param>
    /// <returns>The database, to dispose when done.</returns>
    /// <exception cref="InsufficientPrivilegeException">The role may not create databases.</exception>
    /// <exception cref="ScratchDatabaseException">The server refused the database for another reason.</exception>
    /// <exception cref="DatabaseConnectionException">The server could not be reached.</exception>
    public static Task<ScratchDatabase> CreateEmptyAsync(NpgsqlDataSource target, string purpose, CancellationToken cancellationToken = default) =>
        CreateAsync(target, purpose, template: null, cancellationToken);

    /// <summary>
    /// Creates a copy of <paramref name="template"/> (schema and data) on the target's server. When the template is the
    /// target's own database, the copy is made from the <c>postgres</c> database and the target's idle pooled
    /// connections are closed first, since PostgreSQL copies only a database nobody is connected to.
    /// </summary>
    /// <param name="target">A data source for any database on the server; its credentials are used.</param>
    /// <param name="template">The database to copy; the role must own it (or be a superuser), and no other session may be connected to it.</param>
    /// <param name="purpose">What the database is for, in its name: lower-case letters, digits and underscores, e.g. <c>explain</c>.</param>
    /// <param name="cancellationToken">Stops the creation; nothing is left behind.</param>
    /// <returns>The database, to dispose when done.</returns>
    /// <exception cref="InsufficientPrivilegeException">The role may not create databases, or may not copy the template.</exception>
    /// <exception cref="ScratchDatabaseException">Other sessions are connected to the template, or the server refused for another reason.</exception>
    /// <exception cref="DatabaseConnectionException">The server could not be reached.</exception>
    public static Task<ScratchDatabase> CreateFromTemplateAsync(NpgsqlDataSource target, string template, string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        return CreateAsync(target, purpose, template, cancellationToken);
    }

    /// <summary>Drops the database (its data source first), even when the caller's work failed or was cancelled.</summary>
    /// <exception cref="ScratchDatabaseException">The drop failed; the message names the statement to run by hand.</exception>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await DataSource.DisposeAsync().ConfigureAwait(false);
        try
        {
            await using var admin = NpgsqlDataSource.Create(_adminConnectionString);
            await using var connection = await DataSources.OpenAsync(admin, CancellationToken.None).ConfigureAwait(false);
            await DropAsync(connection, Name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or MigrationException)
        {
            throw new ScratchDatabaseException(
                $"Could not drop the scratch database {Name}: {ex.Message} Drop it by hand: DROP DATABASE IF EXISTS {HistoryTable.Quote(Name)};",
                Name,
                ex);
        }
    }

    private static async Task<ScratchDatabase> CreateAsync(NpgsqlDataSource target, string purpose, string? template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (purpose.Length is 0 or > 20 || !purpose.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"The purpose '{purpose}' must be 1 to 20 lower-case letters, digits or underscores.", nameof(purpose));
        }

        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var targetDatabase = builder.Database ?? builder.Username;
        var cloningTarget = template is not null && template == targetDatabase;
        if (cloningTarget)
        {
            // The caller's own idle pooled sessions on the target would make the copy fail.
            target.Clear();
        }

        var name = NamePrefix + purpose + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var adminConnectionString = WithDatabase(target, cloningTarget ? MaintenanceDatabase : targetDatabase);
        await using var admin = NpgsqlDataSource.Create(adminConnectionString);
        await using var connection = await DataSources.OpenAsync(admin, cancellationToken).ConfigureAwait(false);
        await CreateDatabaseAsync(connection, name, template, cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                connection,
                $"COMMENT ON DATABASE {HistoryTable.Quote(name)} IS {HistoryTable.Literal($"ReferralOS.Sdk scratch database ({purpose}), created {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z; dropped when its run ends, safe to drop if one was killed.")}",
                cancellationToken).ConfigureAwait(false);
            return new ScratchDatabase(name, template, adminConnectionString, WithDatabase(target, name));
        }
        catch
        {
            await DropAsync(connection, name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CreateDatabaseAsync(NpgsqlConnection connection, string name, string? template, CancellationToken cancellationToken)
    {
        var sql = $"CREATE DATABASE {HistoryTable.Quote(name)}" + (template is null ? string.Empty : $" TEMPLATE {HistoryTable.Quote(template)}");
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && Stopwatch.GetElapsedTime(started) < TemplateBusyPatience)
            {
                // A session on the template that closed a moment ago still has a backend on its way out.
                await Task.Delay(TemplateBusyPoll, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                var user = new NpgsqlConnectionStringBuilder(connection.ConnectionString).Username ?? Environment.UserName;
                throw template is null
                    ? new InsufficientPrivilegeException($"Role '{user}' may not create databases ({ex.MessageText}), and this needs a scratch database on the same server.", $"ALTER ROLE {HistoryTable.Quote(user)} CREATEDB")
                    : new InsufficientPrivilegeException($"Role '{user}' may not copy database '{template}' ({ex.MessageText}): copying needs CREATEDB and ownership of the template.", $"ALTER ROLE {HistoryTable.Quote(user)} CREATEDB; ALTER DATABASE {HistoryTable.Quote(template)} OWNER TO {HistoryTable.Quote(user)}");
            }
            catch (PostgresException ex)
            {
                throw new ScratchDatabaseException(
                    ex.SqlState == PostgresErrorCodes.ObjectInUse
                        ? $"Could not copy database '{template}' into a scratch database: other sessions are connected to it ({ex.MessageText}), and PostgreSQL copies only a database nobody uses. Run this when the database is idle (or against a copy of it)."
                        : $"Could not create the scratch database {name}: {ex.MessageText} (SQLSTATE {ex.SqlState}).",
                    name,
                    ex);
            }
        }
    }

    private static async Task DropAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        if (connection.PostgreSqlVersion.Major >= ForceDropMajorVersion)
        {
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {HistoryTable.Quote(name)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
            return;
        }

        await ExecuteAsync(connection, $"SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = {HistoryTable.Literal(name)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {HistoryTable.Quote(name)}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The target's connection string for another database on its server, password included (a data source's own string leaves it out).</summary>
    private static string WithDatabase(NpgsqlDataSource target, string? database)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = database };
        using var connection = target.CreateConnection();
        using var clone = connection.CloneWith(builder.ConnectionString);
        return clone.ConnectionString;
    }
}
