namespace ReferralOS.Sdk.Local;

/// <summary>Finds the machine's PostgreSQL server binaries: on PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
public static class PostgresBinaries
{
    /// <summary>What to tell a user who has none.</summary>
    public const string InstallHint =
        "Install the PostgreSQL server (Debian/Ubuntu: sudo apt-get install -y postgresql; macOS: brew install postgresql@15), " +
        "or pass a connection string to a server you already have.";

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

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
            .Where(candidate => HasServer(candidate.Dir))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Dir)
            .FirstOrDefault();
    }

    private static bool HasServer(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));
}
