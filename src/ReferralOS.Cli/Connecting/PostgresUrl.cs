using Npgsql;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Connecting;

/// <summary>
/// Reads a connection given as a <c>postgres://user:password@host:port/database?sslmode=require</c> URL — the form
/// hosting platforms put in <c>DATABASE_URL</c> — as well as Npgsql's own <c>Host=…;Database=…</c> form.
/// </summary>
internal static class PostgresUrl
{
    /// <summary>The connection as an Npgsql connection string.</summary>
    /// <param name="connection">A URL or an Npgsql connection string.</param>
    /// <param name="origin">Where the value came from (an option or a variable), for error messages.</param>
    /// <returns>An Npgsql connection string.</returns>
    /// <exception cref="DatabaseConnectionException">A URL that cannot be read; the message never repeats the value.</exception>
    public static string ToConnectionString(string connection, string origin)
    {
        if (!connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return connection;
        }

        if (!Uri.TryCreate(connection, UriKind.Absolute, out var url))
        {
            throw Invalid(origin, "it is not a well-formed URL");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = string.IsNullOrEmpty(url.Host) ? "localhost" : url.DnsSafeHost };
        if (!url.IsDefaultPort && url.Port > 0)
        {
            builder.Port = url.Port;
        }

        if (url.UserInfo.Length > 0)
        {
            var separator = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? url.UserInfo : url.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(url.UserInfo[(separator + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var parameter in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(parameter[(equals + 1)..]);
            try
            {
                builder[KeywordFor(key)] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw Invalid(origin, $"its parameter '{key}' is not a connection setting Npgsql knows, or its value is not valid for it");
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The libpq parameter names URLs use, as Npgsql keywords; any other name is tried as an Npgsql keyword.</summary>
    private static string KeywordFor(string parameter) => parameter.ToLowerInvariant() switch
    {
        "sslmode" => "SSL Mode",
        "application_name" => "Application Name",
        "connect_timeout" => "Timeout",
        "options" => "Options",
        _ => parameter,
    };

    private static DatabaseConnectionException Invalid(string origin, string reason) =>
        new($"The connection URL in {origin} cannot be read: {reason}. Write it as postgres://user:password@host:5432/database (percent-encode special characters in the password), or as Host=…;Username=…;Password=…;Database=….", null);
}
