using System.Net.Sockets;
using Npgsql;

namespace ReferralOS.Sdk;

/// <summary>
/// Connection strings and connections, with every failure turned into one clear
/// <see cref="DatabaseConnectionException"/> that names the server and database but never the password.
/// </summary>
public static class DataSources
{
    /// <summary>Creates a data source from a connection string, refusing a malformed one with a clear message.</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=localhost;Username=app;Password=…;Database=referralos</c>.</param>
    /// <returns>A data source the caller disposes.</returns>
    public static NpgsqlDataSource Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new DatabaseConnectionException(
                $"The connection string is not valid ({ex.Message}). Write it as key=value pairs separated by ';', e.g. Host=localhost;Port=5432;Username=app;Password=…;Database=referralos.",
                ex);
        }
    }

    /// <summary>The connection string with its password replaced by <c>***</c>, safe to print or log.</summary>
    /// <param name="connectionString">A connection string.</param>
    /// <returns>The same string without the password; a placeholder when it cannot be parsed.</returns>
    public static string Redact(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }

    /// <summary>Opens a connection, turning every way that can fail into a <see cref="DatabaseConnectionException"/>.</summary>
    /// <param name="dataSource">Where the database is.</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    /// <returns>An open connection the caller disposes.</returns>
    /// <exception cref="DatabaseConnectionException">The server could not be reached, or refused the connection; the message says what to check.</exception>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var accepts = Unwrap<TimeoutException>(ex) is not null && Unwrap<SocketException>(ex) is null
                ? await AcceptsConnectionsAsync(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString)).ConfigureAwait(false)
                : (bool?)null;
            throw Describe(dataSource, ex, accepts);
        }
    }

    /// <summary>
    /// Behind a pooler, what in the connection's settings would leave session state on a server connection that the
    /// pooler hands to another client, said with what to change; null when nothing does. Npgsql's automatic preparation
    /// (<c>Max Auto Prepare</c> above 0) turns a command sent often — the lease's poll is — into a named prepared
    /// statement that lives in the session, and behind a transaction pooler the next use lands on a server connection that
    /// never saw it. Everything else the runtime sends is unprepared (the unnamed statement, which lives only until the
    /// next one) and every setting of its own is <c>SET LOCAL</c> inside a transaction. Npgsql's reset of a connection
    /// returned to its pool (<c>DISCARD ALL</c>) is harmless there, only wasted: <c>No Reset On Close=true</c> saves it.
    /// </summary>
    internal static string? PreparesAcrossTransactions(NpgsqlConnection connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        return builder.MaxAutoPrepare > 0
            ? $"The connection goes through a pooler and sets Max Auto Prepare={builder.MaxAutoPrepare}, so Npgsql would prepare the statements a migration run repeats as named prepared statements, " +
              "which live in one server connection's session while a pooler hands each transaction to any of them. " +
              "Migrate with a connection string without Max Auto Prepare (or Max Auto Prepare=0); the application's own may keep it if its pooler tracks prepared statements. Nothing was applied."
            : null;
    }

    internal static DatabaseConnectionException Describe(NpgsqlDataSource dataSource, Exception ex, bool? acceptsConnections = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var server = $"{builder.Host ?? "localhost"}:{builder.Port}";
        var database = builder.Database ?? builder.Username ?? "(default)";
        var user = builder.Username ?? Environment.UserName;
        var message = ex switch
        {
            PostgresException { SqlState: "28P01" or "28000" } =>
                $"PostgreSQL at {server} refused user '{user}': {((PostgresException)ex).MessageText}. Check the username and password in the connection string.",
            PostgresException { SqlState: "3D000" } =>
                $"Database '{database}' does not exist on {server}. Create it (createdb {database}) or fix Database= in the connection string.",
            PostgresException pg =>
                $"PostgreSQL at {server} refused the connection to '{database}': {pg.MessageText} (SQLSTATE {pg.SqlState}).",
            _ when Unwrap<SocketException>(ex) is { } socket =>
                $"Cannot reach PostgreSQL at {server}: {socket.Message}. Check that the server is running and Host/Port are right.",
            _ when Unwrap<TimeoutException>(ex) is not null && acceptsConnections == true =>
                $"Timed out after {builder.Timeout}s connecting to PostgreSQL at {server}: something there accepts connections but did not finish the startup in time — " +
                "a connection pooler (such as PgBouncer) queueing clients while its pool is full, or an overloaded server. " +
                "Check the pooler's pool size and what holds its server connections (SHOW POOLS on its admin console), or raise Timeout= in the connection string.",
            _ when Unwrap<TimeoutException>(ex) is not null =>
                $"Timed out after {builder.Timeout}s connecting to PostgreSQL at {server}: nothing answered. Check that the host is reachable and Host/Port are right, or raise Timeout= in the connection string.",
            _ => $"Cannot connect to PostgreSQL at {server}, database '{database}': {ex.Message}",
        };
        return new DatabaseConnectionException(message, ex);
    }

    /// <summary>
    /// After a connect timeout: whether a plain TCP connection to the server is accepted within a second, which tells a
    /// host that does not answer from a server (or pooler) that answers but keeps the client waiting. Null when unknown.
    /// </summary>
    private static async Task<bool?> AcceptsConnectionsAsync(NpgsqlConnectionStringBuilder builder)
    {
        if (builder.Host is not { Length: > 0 } host || host.StartsWith('/') || host.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(host, builder.Port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static T? Unwrap<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }
}
