using Npgsql;
using ReferralOS.Cli.Commands;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Connecting;

/// <summary>
/// The database a command works on: the <c>--connection</c> option, else the <c>REFERRALOS_DATABASE_URL</c>
/// variable, else the embedded local PostgreSQL. The command is told which, with the password masked.
/// </summary>
internal sealed class DatabaseTarget : IAsyncDisposable
{
    private DatabaseTarget(NpgsqlDataSource dataSource, string display, bool isLocal)
    {
        DataSource = dataSource;
        Display = display;
        IsLocal = isLocal;
    }

    /// <summary>The database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The connection string without its password.</summary>
    public string Display { get; }

    /// <summary>True for the embedded local PostgreSQL the CLI manages.</summary>
    public bool IsLocal { get; }

    /// <summary>
    /// Finds the database, in the order the class summary gives, and prints which one it is. A connection that is given
    /// but empty — <c>--connection ""</c>, or the variable set to nothing, as an unset CI secret expands — is an error,
    /// never a reason to fall back to a throwaway local database; and production never falls back to one.
    /// </summary>
    /// <exception cref="UsageException">The connection was given empty, or none was given for production.</exception>
    public static async Task<DatabaseTarget> ResolveAsync(string? connectionOption, CliContext context, CliOutput output, CancellationToken cancellationToken, DatabaseEnvironment? environment = null)
    {
        var (connection, origin) = connectionOption is not null
            ? (connectionOption, "--connection")
            : (context.GetVariable(CliContext.DatabaseUrlVariable), CliContext.DatabaseUrlVariable);
        if (connection is not null && string.IsNullOrWhiteSpace(connection))
        {
            throw new UsageException(
                $"{origin} is set but empty, so there is no database to use (an unset CI secret or variable expands to nothing). " +
                $"Give a connection string or postgres:// URL, or leave {origin} out entirely to use the embedded local PostgreSQL in development. Nothing was done.");
        }

        if (connection is null && environment == DatabaseEnvironment.Production)
        {
            throw new UsageException(
                $"--environment production needs the production database: give --connection or set {CliContext.DatabaseUrlVariable}. " +
                "The embedded local PostgreSQL is for development only and is never used for production. Nothing was done.");
        }

        if (connection is null)
        {
            var local = await LocalDevelopmentDatabase.StartAsync(context, output, cancellationToken).ConfigureAwait(false);
            output.Line($"Connection: {local}");
            return new DatabaseTarget(DataSources.Create(local), local, isLocal: true);
        }

        var connectionString = PostgresUrl.ToConnectionString(connection, origin);
        output.Mask(PasswordOf(connectionString));
        var dataSource = DataSources.Create(connectionString);
        var display = DataSources.Redact(connectionString);
        output.Line($"Database: {display} (from {origin})");
        return new DatabaseTarget(dataSource, display, isLocal: false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>The password, read leniently: a connection string too malformed to parse can still carry one.</summary>
    internal static string? PasswordOf(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            return connectionString.Split(';')
                .Select(pair => pair.Split('=', 2))
                .Where(pair => pair.Length == 2 && pair[0].Trim().ToLowerInvariant() is "password" or "pwd")
                .Select(pair => pair[1].Trim())
                .FirstOrDefault();
        }
    }
}
