using Npgsql;
using ReferralOS.Cli.Commands;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Connecting;

/// <summary>
/// The databases <c>--targets</c> names, for every command that works on a fleet: a file with one connection string or
/// postgres:// URL a line (blank lines and lines starting with <c>#</c> skipped), or <c>sql:QUERY</c>, run on the server
/// <c>--connection</c> (else <c>REFERRALOS_DATABASE_URL</c>) names, each row's first column a database name on that
/// server or a whole connection string. Each target is named <c>host:port/database</c>; each may be given once, and every
/// password is masked in what the command prints.
/// </summary>
internal static class FleetTargets
{
    /// <summary>What starts the query form of <c>--targets</c>.</summary>
    public const string QueryPrefix = "sql:";

    /// <summary>The targets <paramref name="targets"/> names, read from the file or listed by the query, and says how many and from where.</summary>
    /// <exception cref="UsageException">No such file, a line or row that is not a connection, a database given twice, none at all, or a query that fails.</exception>
    public static async Task<IReadOnlyList<FleetTarget>> ResolveAsync(string targets, string? connectionOption, CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        IReadOnlyList<FleetTarget> resolved;
        string origin;
        if (targets.StartsWith(QueryPrefix, StringComparison.OrdinalIgnoreCase))
        {
            origin = "the --targets query";
            resolved = await QueryAsync(targets[QueryPrefix.Length..], connectionOption, context, output, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            origin = targets;
            var path = Path.GetFullPath(targets, context.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw new UsageException(
                    $"--targets is '{targets}', which is not a file ({path} does not exist). Give a file with one connection string or postgres:// URL a line, " +
                    $"or {QueryPrefix}SELECT … to list the databases of the --connection server. Nothing was done.");
            }

            resolved = Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), targets);
        }

        foreach (var target in resolved)
        {
            output.Mask(DatabaseTarget.PasswordOf(target.ConnectionString!));
        }

        output.Line($"Targets: {Wording.Count(resolved.Count, "database")} from {origin}");
        return resolved;
    }

    /// <summary>Reads a targets file's text.</summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="file">The file as the user named it, for messages.</param>
    /// <returns>One target a connection line, in file order.</returns>
    /// <exception cref="UsageException">A line that is not a connection (the message names its line number), a database given twice, or no database at all.</exception>
    public static IReadOnlyList<FleetTarget> Parse(string text, string file)
    {
        var targets = new Targets();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                targets.Add(line, $"line {i + 1} of {file}");
            }
        }

        return targets.Done($"{file} names no database: write one connection string or postgres:// URL a line (lines starting with # are comments).");
    }

    /// <summary>The query form: its rows, each a database on the server the connection names, or a connection string of its own.</summary>
    private static async Task<IReadOnlyList<FleetTarget>> QueryAsync(string sql, string? connectionOption, CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        var (connection, origin) = connectionOption is not null
            ? (connectionOption, "--connection")
            : (context.GetVariable(CliContext.DatabaseUrlVariable), CliContext.DatabaseUrlVariable);
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new UsageException($"--targets {QueryPrefix} has no query after it: write e.g. {QueryPrefix}SELECT datname FROM pg_database WHERE datname LIKE 'tenant%'. Nothing was done.");
        }

        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new UsageException(
                $"--targets {QueryPrefix}… runs its query on the server --connection (or ${CliContext.DatabaseUrlVariable}) names, and neither is given: " +
                "give the server whose databases the query lists, e.g. -c postgres://admin@db:5432/postgres. The embedded local PostgreSQL is never a fleet's server. Nothing was done.");
        }

        var server = PostgresUrl.ToConnectionString(connection, origin);
        output.Mask(DatabaseTarget.PasswordOf(server));
        await using var dataSource = DataSources.Create(server);
        await using var open = await DataSources.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, open);
        var targets = new Targets();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            for (var row = 1; await reader.ReadAsync(cancellationToken).ConfigureAwait(false); row++)
            {
                var where = $"row {row} of the --targets query";
                var value = reader.FieldCount == 0 || reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new UsageException($"The {where} has no database name in its first column: make the query's first column a database name (e.g. datname) or a connection string. Nothing was done.");
                }

                targets.Add(IsConnection(value) ? value : new NpgsqlConnectionStringBuilder(server) { Database = value }.ConnectionString, where);
            }
        }
        catch (PostgresException ex)
        {
            throw new UsageException(
                $"The --targets query failed on {DataSources.Redact(server)}: {ex.MessageText} (SQLSTATE {ex.SqlState}). " +
                $"Write a query whose first column is a database name on that server, e.g. {QueryPrefix}SELECT datname FROM pg_database WHERE datname LIKE 'tenant%'. Nothing was done.");
        }

        return targets.Done($"The --targets query listed no database on {DataSources.Redact(server)}: check its WHERE clause. Nothing was done.");
    }

    /// <summary>A row that is a connection of its own rather than a database name: a URL, or key=value pairs.</summary>
    private static bool IsConnection(string value) =>
        value.Contains('=', StringComparison.Ordinal) || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The targets read so far, each database once.</summary>
    private sealed class Targets
    {
        private readonly List<FleetTarget> _targets = [];
        private readonly Dictionary<string, string> _where = new(StringComparer.Ordinal);

        public void Add(string connection, string where)
        {
            string connectionString;
            NpgsqlConnectionStringBuilder builder;
            try
            {
                connectionString = PostgresUrl.ToConnectionString(connection, where);
                builder = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (DatabaseConnectionException ex)
            {
                throw new UsageException(ex.Message);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw new UsageException(
                    $"{Capitalised(where)} is neither a postgres:// URL nor a connection string Npgsql can read ({ex.Message}): " +
                    "write postgres://user:password@host:5432/database or Host=…;Username=…;Password=…;Database=…. Nothing was done.");
            }

            var name = $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username ?? "(default)"}";
            if (!_where.TryAdd(name, where))
            {
                throw new UsageException($"{Capitalised(where)} names {name} again, as {_where[name]} did: give each database once. Nothing was done.");
            }

            _targets.Add(new FleetTarget(name, connectionString));
        }

        public List<FleetTarget> Done(string none) => _targets.Count > 0 ? _targets : throw new UsageException(none);

        private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
    }
}
