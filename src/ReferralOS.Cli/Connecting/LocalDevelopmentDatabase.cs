using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Connecting;

/// <summary>
/// The database the CLI uses when given no connection: a PostgreSQL cluster from the machine's own binaries in
/// <c>.referralos/postgres</c> under the working directory, started on first use, reused afterwards, holding a
/// <c>referralos</c> database. <c>REFERRALOS_POSTGRES_BIN</c> names the binaries' folder when the one found is not
/// the one to use.
/// </summary>
internal static class LocalDevelopmentDatabase
{
    /// <summary>The database the CLI migrates on the local cluster.</summary>
    public const string DatabaseName = "referralos";

    /// <summary>The cluster's data folder for a working directory.</summary>
    public static string DataDirectory(CliContext context) => Path.Combine(context.WorkingDirectory, ".referralos", "postgres");

    /// <summary>The data folder as the user sees it, relative to the working directory.</summary>
    public static string DisplayPath(CliContext context) => Path.GetRelativePath(context.WorkingDirectory, DataDirectory(context));

    /// <summary>Starts (or reuses) the cluster, creates the database when missing, and says what it did.</summary>
    /// <returns>A connection string to the database; it has no password (the cluster trusts loopback connections).</returns>
    public static async Task<string> StartAsync(CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        var options = new LocalPostgresOptions
        {
            DataDirectory = DataDirectory(context),
            BinDirectory = context.GetVariable(CliContext.PostgresBinVariable) is { Length: > 0 } bin ? bin : null,
        };
        var server = await LocalPostgresServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var where = DisplayPath(context);
        output.Line(server switch
        {
            { CreatedByThisCall: true } => $"Created a local PostgreSQL cluster in {where} and started it on port {server.Port}.",
            { StartedByThisCall: true } => $"Started the local PostgreSQL in {where} on port {server.Port}.",
            _ => $"Using the local PostgreSQL in {where} (port {server.Port}).",
        });

        if (await server.EnsureDatabaseAsync(DatabaseName, cancellationToken).ConfigureAwait(false))
        {
            output.Line($"Created database '{DatabaseName}'.");
        }

        return server.ConnectionStringFor(DatabaseName);
    }
}
