namespace ReferralOS.Sdk.Local;

/// <summary>
/// Finds the machine's PostgreSQL server binaries: on PATH, else the newest of the folders the usual packages
/// install to — Debian/Ubuntu <c>/usr/lib/postgresql/*/bin</c>, RHEL/Fedora (PGDG) <c>/usr/pgsql-*/bin</c>, and
/// Homebrew's keg-only <c>postgresql@*</c> under <c>/opt/homebrew/opt</c> and <c>/usr/local/opt</c>.
/// </summary>
public static class PostgresBinaries
{
    /// <summary>What to tell a user who has none.</summary>
    public const string InstallHint =
        "Install the PostgreSQL server (Debian/Ubuntu: sudo apt-get install -y postgresql; Fedora/RHEL: sudo dnf install postgresql-server; " +
        "macOS: brew install postgresql@15), or pass a connection string to a server you already have.";

    /// <summary>Where <see cref="Find"/> looks, for messages.</summary>
    public const string SearchedPlaces = "on PATH, under /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, or Homebrew's postgresql@*/bin";

    /// <summary>Version-numbered installations: a parent folder, the pattern of one version's folder in it, and its bin folder.</summary>
    private static readonly (string Root, string Pattern)[] Installations =
    [
        ("/usr/lib/postgresql", "*"),
        ("/usr", "pgsql-*"),
        ("/opt/homebrew/opt", "postgresql@*"),
        ("/usr/local/opt", "postgresql@*"),
    ];

    /// <summary>The folder holding initdb and pg_ctl, or null when the machine has none.</summary>
    /// <returns>The folder, or null.</returns>
    public static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(folder))
            {
                // A PATH entry is often a symlink farm (/usr/local/bin/initdb -> …/15/bin/initdb): use the real folder,
                // where postgres itself also lives.
                var initdb = new FileInfo(Path.Combine(folder, "initdb"));
                var target = initdb.LinkTarget is null ? null : initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                return target is null ? folder : Path.GetDirectoryName(target) ?? folder;
            }
        }

        return Installations
            .Where(installation => Directory.Exists(installation.Root))
            .SelectMany(installation => Directory.GetDirectories(installation.Root, installation.Pattern))
            .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: MajorVersion(Path.GetFileName(dir))))
            .Where(candidate => HasServer(candidate.Dir))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Dir)
            .FirstOrDefault();
    }

    /// <summary>Whether a folder holds the server binaries this library runs.</summary>
    /// <param name="folder">A folder, e.g. /usr/lib/postgresql/15/bin.</param>
    /// <returns>True when it has initdb and pg_ctl.</returns>
    public static bool HasServer(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

    /// <summary>The major version in a folder name such as <c>15</c>, <c>pgsql-16</c> or <c>postgresql@17</c>; 0 when none.</summary>
    private static int MajorVersion(string name)
    {
        var digits = new string(name.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out var version) ? version : 0;
    }
}
