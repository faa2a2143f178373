using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Commands;

/// <summary>The options several commands share, defined once so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> Connection()
    {
        var option = new Option<string?>("--connection", "-c")
        {
            Description = $"The database: an Npgsql connection string or a postgres:// URL. Default: ${CliContext.DatabaseUrlVariable}, else (development only) the embedded local PostgreSQL in .referralos/.",
            HelpName = "connection",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
            {
                result.AddError("--connection is empty, so there is no database to use (an unset CI secret or variable expands to nothing): give a connection string or postgres:// URL, or leave --connection out to use the embedded local PostgreSQL in development.");
            }
        });
        return option;
    }

    public static Option<SchemaEnvironment> Environment(CliContext context, string description) => new("--environment", "-e")
    {
        Description = $"{description} ${CliContext.EnvironmentVariable} sets the default.",
        HelpName = "development|test|production",
        CustomParser = result => ParseEnvironment(result, result.Tokens[0].Value, "--environment"),
        DefaultValueFactory = result => context.GetVariable(CliContext.EnvironmentVariable) is { Length: > 0 } name
            ? ParseEnvironment(result, name, CliContext.EnvironmentVariable)
            : SchemaEnvironment.Development,
    };

    public static Option<TimeSpan?> LockWait() => new("--lock-wait")
    {
        Description = "How long to wait for another migration run against the same database to finish, e.g. 30s or 10min. Default: 10min.",
        HelpName = "duration",
        CustomParser = ParseDuration,
    };

    public static Option<bool> DryRun(string what) => new("--dry-run")
    {
        Description = $"Print the SQL {what} would send to this database now, without changing anything: the script on standard output, messages on standard error.",
    };

    public static Option<bool> Force(string command) => new("--force")
    {
        Description = $"Confirm {command} of a database given by --connection or ${CliContext.DatabaseUrlVariable}. The embedded local database needs no confirmation.",
    };

    /// <summary>Migration options from the command line: the environment (production records the marker) and the lock wait.</summary>
    public static MigrationOptions MigrationOptions(SchemaEnvironment? environment, TimeSpan? lockWait)
    {
        var options = new MigrationOptions { Environment = environment };
        return lockWait is { } wait ? options with { LockWaitTimeout = wait } : options;
    }

    /// <summary>
    /// <c>--history-table</c>: ReferralOS's own history table, <see cref="Sdk.MigrationOptions.HistoryTable"/>. Needed
    /// where another tool keeps a table of the default name (golang-migrate's and dbmate's schema_migrations).
    /// </summary>
    public static Option<string?> HistoryTable()
    {
        var option = new Option<string?>("--history-table")
        {
            Description = "ReferralOS's history table, as name or schema.name (the schema is created when missing). Default: schema_migrations, found through the search_path. " +
                          "Choose another where another tool keeps a table of that name (golang-migrate, dbmate), e.g. referralos.schema_migrations, and give the same to every later command.",
            HelpName = "table",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
            {
                result.AddError("--history-table is empty: give a table name or schema.name, e.g. referralos.schema_migrations, or leave the option out for schema_migrations.");
            }
        });
        return option;
    }

    /// <summary>The options with <c>--history-table</c> applied when it was given.</summary>
    public static MigrationOptions WithHistoryTable(MigrationOptions options, string? historyTable) =>
        historyTable is { Length: > 0 } table ? options with { HistoryTable = table } : options;

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write one JSON document to standard output, for scripts; messages go to standard error.",
    };

    private static SchemaEnvironment ParseEnvironment(ArgumentResult result, string name, string origin)
    {
        if (SchemaEnvironmentNames.TryParse(name, out var environment))
        {
            return environment;
        }

        result.AddError($"{origin} is '{name}', which is not an environment: use development, test or production.");
        return default;
    }

    /// <summary>Reads a whole number with a unit — ms, s, min or h, as in a migration's timeout header — or plain seconds.</summary>
    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens[0].Value.Trim();
        var digits = text.TakeWhile(char.IsAsciiDigit).Count();
        if (digits > 0 && long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? duration = text[digits..].Trim().ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "" or "s" => TimeSpan.FromSeconds(amount),
                "min" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => null,
            };
            if (duration is not null)
            {
                return duration;
            }
        }

        result.AddError($"--lock-wait is '{text}', which is not a duration: write a whole number with ms, s, min or h, e.g. 30s.");
        return null;
    }
}
