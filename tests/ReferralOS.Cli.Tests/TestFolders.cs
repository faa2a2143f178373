namespace ReferralOS.Cli.Tests;

/// <summary>Folders for tests, under the temp folder, that a PostgreSQL server run as the postgres user can enter.</summary>
internal static class TestFolders
{
    /// <summary>A new, empty folder that the postgres user may enter; the caller deletes it.</summary>
    public static string Create(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return folder;
    }

    /// <summary>A new folder holding a copy of the repository's execution/ folder; the caller deletes it.</summary>
    public static string CopyOfExecution(string prefix)
    {
        var source = new DirectoryInfo(AppContext.BaseDirectory);
        while (source is not null && !Directory.Exists(Path.Combine(source.FullName, "execution", "migrations")))
        {
            source = source.Parent;
        }

        var folder = Create(prefix);
        var execution = Path.Combine(source!.FullName, "execution");
        foreach (var file in Directory.GetFiles(execution, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, "execution", Path.GetRelativePath(execution, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return folder;
    }
}
