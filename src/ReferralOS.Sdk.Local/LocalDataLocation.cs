using System.Security.Cryptography;
using System.Text;

namespace ReferralOS.Sdk.Local;

/// <summary>
/// Where a persistent cluster's data folder can live. Run as root, the server runs as the <c>postgres</c> user,
/// which cannot enter a private folder (a 0700 home, a <c>mktemp -d</c> folder); such a project's cluster lives in
/// <see cref="ServiceRoot"/> instead, under a name made from the project's path.
/// </summary>
/// <remarks>
/// The alternative, granting the <c>postgres</c> user the right to traverse every folder above the project, would
/// change the permissions of folders the user made private on purpose, outside the project, and leave them changed
/// after the cluster is gone. A data folder of its own, owned by the user the server runs as, changes nothing of theirs.
/// </remarks>
public static class LocalDataLocation
{
    /// <summary>The folder that holds the clusters of projects the server's user cannot enter (Linux, as root).</summary>
    public const string ServiceRoot = "/var/lib/referralos";

    /// <summary>
    /// Whether the server can run a data folder at <paramref name="dataDirectory"/>: always, unless this process is
    /// root on Linux and the <c>postgres</c> user cannot enter the nearest folder of that path that already exists.
    /// </summary>
    /// <param name="dataDirectory">The data folder, which need not exist yet.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>True when the server can reach the folder.</returns>
    public static async Task<bool> IsReachableAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        if (!CommandRunner.RunsAsRoot)
        {
            return true;
        }

        var folder = Path.GetFullPath(dataDirectory);
        while (!Directory.Exists(folder) && Path.GetDirectoryName(folder) is { } parent)
        {
            folder = parent;
        }

        // The kernel's own answer, ACLs and groups included: can the server's user search the folder and the path to it?
        var (exitCode, _) = await CommandRunner.RunAsync("test", ["-x", folder], cancellationToken).ConfigureAwait(false);
        return exitCode == 0;
    }

    /// <summary>
    /// The data folder in <see cref="ServiceRoot"/> for a project: its folder name and a hash of its full path,
    /// e.g. <c>/var/lib/referralos/shop-3fa9c2e1b0d4</c>, so that each clone has its own and finds it again.
    /// </summary>
    /// <param name="projectDirectory">The project's folder.</param>
    /// <returns>The data folder's path; nothing is created.</returns>
    public static string ForProject(string projectDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
        var name = new string(Path.GetFileName(full).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('.', '-');
        return Path.Combine(ServiceRoot, name.Length == 0 ? hash : $"{name}-{hash}");
    }

    /// <summary>
    /// Creates <see cref="ServiceRoot"/> when it is missing, readable and searchable by every user (the clusters in it
    /// are each readable by their owner only), so that the server's user can reach a data folder in it.
    /// </summary>
    /// <exception cref="LocalPostgresException">The folder could not be created.</exception>
    public static void EnsureServiceRoot()
    {
        try
        {
            if (!Directory.Exists(ServiceRoot))
            {
                Directory.CreateDirectory(ServiceRoot);
                if (!OperatingSystem.IsWindows())
                {
                    // Set after creating, so that a umask such as 077 cannot take the others' search right away.
                    File.SetUnixFileMode(ServiceRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LocalPostgresException($"Could not create {ServiceRoot} for the local PostgreSQL's data ({ex.Message}). Run the command as an ordinary user, or pass a connection string to a server you already have.", ex);
        }
    }

    /// <summary>Deletes <see cref="ServiceRoot"/> when no cluster is left in it.</summary>
    public static void RemoveServiceRootIfEmpty()
    {
        try
        {
            if (Directory.Exists(ServiceRoot) && !Directory.EnumerateFileSystemEntries(ServiceRoot).Any())
            {
                Directory.Delete(ServiceRoot);
            }
        }
        catch (IOException)
        {
            // Another project's cluster appeared meanwhile: the folder stays, as it should.
        }
    }
}
