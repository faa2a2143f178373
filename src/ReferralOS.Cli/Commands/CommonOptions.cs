using System.CommandLine;
using System.CommandLine.Parsing;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Shared;

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

    public static Option<DatabaseEnvironment> Environment(CliContext context, string description) => new("--environment", "-e")
    {
        Description = $"{description} ${CliContext.EnvironmentVariable} sets the default.",
        HelpName = "development|test|production",
        CustomParser = result => ParseEnvironment(result, result.Tokens[0].Value, "--environment"),
        DefaultValueFactory = result => context.GetVariable(CliContext.EnvironmentVariable) is { Length: > 0 } name
            ? ParseEnvironment(result, name, CliContext.EnvironmentVariable)
            : DatabaseEnvironment.Development,
    };

    public static Option<TimeSpan?> LockWait() => new("--lock-wait")
    {
        Description = "How long to wait for another migration run against the same database to finish: a number and a unit (us, ms, s, min, h or d), e.g. 30s or 10min, " +
            $"as in a migration's -- Lock-Timeout: header; 0 not to wait. Default: {Duration.Format(new MigrationOptions().LockWaitTimeout)}.",
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (Duration.TryParse(text, out var duration, out var problem))
            {
                return duration;
            }

            result.AddError($"--lock-wait is '{text}', which is not a duration: {problem}.");
            return null;
        },
    };

    /// <summary>
    /// <c>--execution</c> on the commands that apply a catalog: the folder's schema compiled now
    /// (<see cref="Compiling.ExecutionCatalog"/>) instead of the ReferralOS schema compiled into the tool.
    /// </summary>
    public static Option<string?> CompiledExecution() => new("--execution")
    {
        Description = $"Work on the schema in this folder (its {ExecutionLayout.MigrationsFolder}/ and {ExecutionLayout.SeedsFolder}/), compiled now with the build's own generator, instead of the ReferralOS schema compiled into the tool. Any build error in it is printed and the command refuses (exit 3).",
        HelpName = "folder",
    };

    /// <summary><c>--execution</c> on the commands that read the files themselves (<see cref="Files.ExecutionFolder"/>): lock, verify, lint.</summary>
    public static Option<string?> ExecutionFolder() => new("--execution")
    {
        Description = $"The folder holding {ExecutionLayout.MigrationsFolder}/ and {ExecutionLayout.LockFile}. Default: {ExecutionLayout.DefaultFolder}/ in the working directory or the nearest parent that has one.",
        HelpName = "folder",
    };

    public static Option<bool> DryRun(string what) => new("--dry-run")
    {
        Description = $"Print the SQL {what} would send to this database now, without changing anything: the script on standard output, messages on standard error.",
    };

    public static Option<bool> Force(string command) => new("--force")
    {
        Description = $"Confirm {command} of a database given by --connection or ${CliContext.DatabaseUrlVariable}. The embedded local database needs no confirmation.",
    };

    /// <summary>
    /// The history table, on every command that reads or writes one (<see cref="Sdk.MigrationOptions.HistoryTable"/>):
    /// for a database where <c>schema_migrations</c> is another tool's table, or a team that keeps it elsewhere.
    /// </summary>
    public static Option<string?> HistoryTable()
    {
        var option = new Option<string?>("--history-table")
        {
            Description = "The migration history table: name (found through the connection's search_path) or schema.name (the schema is created when missing). " +
                "Default: schema_migrations. Choose another where a table of that name belongs to another tool (golang-migrate, dbmate and Rails use the name), e.g. ops.referralos_history; give the same one to every command.",
            HelpName = "name|schema.name",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            var text = result.Tokens[0].Value;
            try
            {
                _ = new MigrationOptions { HistoryTable = text };
            }
            catch (ArgumentException)
            {
                result.AddError($"--history-table is '{text}', which is not a history table name: write name or schema.name, e.g. referralos_history or ops.referralos_history (each part at most 63 bytes, without surrounding spaces; it is quoted as written).");
            }
        });
        return option;
    }

    /// <summary>Migration options from the command line: the environment (production records the marker), the lock wait and the history table.</summary>
    public static MigrationOptions MigrationOptions(DatabaseEnvironment? environment, TimeSpan? lockWait, string? historyTable)
    {
        var options = new MigrationOptions { Environment = environment };
        options = historyTable is { } table ? options with { HistoryTable = table } : options;
        return lockWait is { } wait ? options with { LockWaitTimeout = wait } : options;
    }

    /// <summary><c>--targets</c>: a fleet of databases (<see cref="Connecting.FleetTargets"/>) instead of the one <c>--connection</c> names.</summary>
    public static Option<string?> Targets() => new("--targets")
    {
        Description = $"Work on many databases instead of one: a file with one connection string or postgres:// URL a line (# comments and blank lines skipped), or {Connecting.FleetTargets.QueryPrefix}QUERY, " +
            "run on the --connection server, each row a database name on that server (or a connection string). Prints one row per database; exits 11 when any failed, after doing the rest.",
        HelpName = $"file|{Connecting.FleetTargets.QueryPrefix}query",
    };

    /// <summary>The usage rule of a command whose <c>--parallel</c> only means something with <c>--targets</c>.</summary>
    /// <param name="targets">The command's <c>--targets</c>.</param>
    /// <param name="parallel">The command's <c>--parallel</c>.</param>
    /// <param name="verb">What the command does to each database, as in "how many databases of the fleet to <paramref name="verb"/> at once".</param>
    public static Action<CommandResult> ParallelNeedsTargets(Option<string?> targets, Option<int> parallel, string verb) => result =>
    {
        if (result.GetValue(targets) is null && result.GetResult(parallel) is { Implicit: false })
        {
            result.AddError($"--parallel goes with --targets: it says how many databases of the fleet to {verb} at once.");
        }
    };

    /// <summary><c>--parallel</c>: how many databases of <c>--targets</c> at once.</summary>
    public static Option<int> Parallel()
    {
        var option = new Option<int>("--parallel")
        {
            Description = $"With --targets: how many databases to work on at once, each over a connection of its own. Default: {FleetOptions.DefaultMaxParallelism}.",
            HelpName = "N",
            DefaultValueFactory = _ => FleetOptions.DefaultMaxParallelism,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--parallel is {result.Tokens[0].Value}: give at least 1 (databases worked on at once).");
            }
        });
        return option;
    }

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write one JSON document to standard output, for scripts; messages go to standard error.",
    };

    private static DatabaseEnvironment ParseEnvironment(ArgumentResult result, string name, string origin)
    {
        if (DatabaseEnvironmentNames.TryParse(name, out var environment))
        {
            return environment;
        }

        result.AddError($"{origin} is '{name}', which is not an environment: use development, test or production.");
        return default;
    }
}
