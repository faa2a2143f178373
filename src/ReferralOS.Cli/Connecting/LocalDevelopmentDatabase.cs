using ReferralOS.Cli.Output;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Connecting;

/// <summary>
/// The database the CLI uses when given no connection: a PostgreSQL cluster from the machine's own binaries,
/// started on first use, reused afterwards, holding a <c>referralos</c> database. Its data folder is
/// <c>.referralos/postgres</c> under the working directory — or, when the CLI runs as root and the <c>postgres</c>
/// user the server runs as cannot enter the working directory, a folder in <see cref="LocalDataLocation.ServiceRoot"/>
/// that <c>.referralos/postgres.location</c> names. <c>REFERRALOS_POSTGRES_BIN</c> names the binaries' folder when
/// the one found is not the one to use.
/// </summary>
internal static class LocalDevelopmentDatabase
{
    /// <summary>The database the CLI migrates on the local cluster.</summary>
    public const string DatabaseName = "referralos";

    /// <summary>The file in <c>.referralos/</c> naming a data folder that lives outside the working directory.</summary>
    public const string PointerFileName = "postgres.location";

    /// <summary>The CLI's own folder in the working directory.</summary>
    public static string OwnFolder(CliContext context) => Path.Combine(context.WorkingDirectory, ".referralos");

    /// <summary>
    /// The cluster's data folder for a working directory, as the last start left it: the folder the pointer file
    /// names, else <c>.referralos/postgres</c>. Creates nothing.
    /// </summary>
    public static string DataDirectory(CliContext context) => ReadPointer(context) ?? InProject(context);

    /// <summary>The data folder as the user sees it: relative to the working directory when it is inside it, else in full.</summary>
    public static string DisplayPath(CliContext context) => Display(context, DataDirectory(context));

    /// <summary>Starts (or reuses) the cluster, creates the database when missing, and says what it did.</summary>
    /// <returns>A connection string to the database; it has no password (the cluster trusts loopback connections).</returns>
    public static async Task<string> StartAsync(CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        var hadOwnFolder = Directory.Exists(OwnFolder(context));
        var dataDirectory = await ChooseDataDirectoryAsync(context, output, cancellationToken).ConfigureAwait(false);
        var options = new LocalPostgresOptions
        {
            DataDirectory = dataDirectory,
            BinDirectory = context.GetVariable(CliContext.PostgresBinVariable) is { Length: > 0 } bin ? bin : null,
        };
        LocalPostgresServer server;
        try
        {
            server = await LocalPostgresServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch when (!hadOwnFolder && !LocalPostgresServer.Exists(dataDirectory))
        {
            // Nothing was created (no binaries, say): leave the working directory as it was.
            Forget(context, dataDirectory);
            throw;
        }

        var where = Display(context, dataDirectory);
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

    /// <summary>
    /// Forgets the cluster after <c>local destroy</c>: deletes the pointer file, <c>.referralos/</c> once it holds
    /// nothing else, and the shared folder outside the project once no cluster is left in it.
    /// </summary>
    public static void Forget(CliContext context, string dataDirectory)
    {
        var pointer = Path.Combine(OwnFolder(context), PointerFileName);
        if (File.Exists(pointer))
        {
            File.Delete(pointer);
        }

        var owned = OwnFolder(context);
        if (Directory.Exists(owned) && !Directory.EnumerateFileSystemEntries(owned).Any())
        {
            Directory.Delete(owned);
        }

        if (!IsInside(context, dataDirectory))
        {
            LocalDataLocation.RemoveServiceRootIfEmpty();
        }
    }

    /// <summary>
    /// Where this start runs the cluster: where the last one did (the pointer, or an existing <c>.referralos/postgres</c>);
    /// else <c>.referralos/postgres</c> when the server can reach it; else a folder of its own outside the working
    /// directory, recorded in the pointer file so that the next command, and <c>local</c>, find it again.
    /// </summary>
    private static async Task<string> ChooseDataDirectoryAsync(CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        if (ReadPointer(context) is { } pointed)
        {
            return pointed;
        }

        var inProject = InProject(context);
        if (LocalPostgresServer.Exists(inProject))
        {
            return inProject;
        }

        CreateOwnFolder(context);
        if (await LocalDataLocation.IsReachableAsync(inProject, cancellationToken).ConfigureAwait(false))
        {
            return inProject;
        }

        var outside = LocalDataLocation.ForProject(context.WorkingDirectory);
        LocalDataLocation.EnsureServiceRoot();
        await File.WriteAllTextAsync(Path.Combine(OwnFolder(context), PointerFileName), outside + "\n", cancellationToken).ConfigureAwait(false);
        output.Line($"The server runs as the 'postgres' user (this process is root), which cannot enter {context.WorkingDirectory}: its data folder is {outside}, named in .referralos/{PointerFileName}.");
        return outside;
    }

    private static string InProject(CliContext context) => Path.Combine(OwnFolder(context), "postgres");

    private static string? ReadPointer(CliContext context)
    {
        var pointer = Path.Combine(OwnFolder(context), PointerFileName);
        return File.Exists(pointer) && File.ReadAllText(pointer).Trim() is { Length: > 0 } path ? path : null;
    }

    /// <summary>Creates <c>.referralos/</c> searchable by others, so a server run as another user can reach a data folder in it.</summary>
    private static void CreateOwnFolder(CliContext context)
    {
        var owned = OwnFolder(context);
        if (Directory.Exists(owned))
        {
            return;
        }

        Directory.CreateDirectory(owned);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(owned, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    private static bool IsInside(CliContext context, string path)
    {
        var relative = Path.GetRelativePath(context.WorkingDirectory, path);
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static string Display(CliContext context, string dataDirectory) =>
        IsInside(context, dataDirectory) ? Path.GetRelativePath(context.WorkingDirectory, dataDirectory) : dataDirectory;
}
