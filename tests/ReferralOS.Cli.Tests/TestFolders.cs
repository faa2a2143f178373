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
}
