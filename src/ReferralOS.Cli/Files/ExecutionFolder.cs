using ReferralOS.Cli.Linting;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Cli.Files;

/// <summary>
/// The schema's folder on disk: <c>migrations/*.sql</c> and <c>migrations.lock</c>. The <c>lock</c> and
/// <c>verify</c> commands read the files themselves, since they check the working tree, not the compiled catalog.
/// </summary>
internal sealed class ExecutionFolder
{
    /// <summary>The analyzer config files whose ROS severities the build applies to the .sql files they sit above.</summary>
    private static readonly string[] AnalyzerConfigNames = [".editorconfig", ".globalconfig"];

    private ExecutionFolder(string path) => Path = path;

    /// <summary>The folder, e.g. /repo/execution.</summary>
    public string Path { get; }

    /// <summary>The lock file's path, whether or not it exists yet.</summary>
    public string LockPath => System.IO.Path.Combine(Path, ExecutionLayout.LockFile);

    /// <summary>
    /// The folder named by <c>--execution</c>, else the first <c>execution</c> folder holding <c>migrations/</c> in
    /// the working directory or one of its parents (so the commands work from anywhere in a clone).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">There is no such folder.</exception>
    public static ExecutionFolder Find(string? option, string workingDirectory)
    {
        if (option is { Length: > 0 })
        {
            var given = System.IO.Path.GetFullPath(option, workingDirectory);
            return Directory.Exists(System.IO.Path.Combine(given, ExecutionLayout.MigrationsFolder))
                ? new ExecutionFolder(given)
                : throw new DirectoryNotFoundException($"--execution is '{option}', which has no {ExecutionLayout.MigrationsFolder}/ folder: name the folder that holds {ExecutionLayout.MigrationsFolder}/ and {ExecutionLayout.LockFile}.");
        }

        for (var folder = new DirectoryInfo(workingDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, ExecutionLayout.DefaultFolder);
            if (Directory.Exists(System.IO.Path.Combine(candidate, ExecutionLayout.MigrationsFolder)))
            {
                return new ExecutionFolder(candidate);
            }
        }

        throw new DirectoryNotFoundException($"No {ExecutionLayout.DefaultFolder}/{ExecutionLayout.MigrationsFolder} folder in {workingDirectory} or above it: run the command in the repository, or pass --execution <folder>.");
    }

    /// <summary>Every migration file whose name follows the grammar, with its checksum, in number order.</summary>
    public async Task<IReadOnlyList<MigrationChecksum>> ReadMigrationsAsync(CancellationToken cancellationToken)
    {
        var migrations = new List<MigrationChecksum>();
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(Path, ExecutionLayout.MigrationsFolder), "*.sql").Order(StringComparer.Ordinal))
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            if (MigrationChecksum.FromFile(file, text) is { } migration)
            {
                migrations.Add(migration);
            }
        }

        return migrations;
    }

    /// <summary>
    /// Every file a build hands the generator, with the kind the buildTransitive targets give it: migrations/*.sql,
    /// seeds/*.sql (in any case, as the build's glob matches them) and migrations.lock, as bytes for the generator
    /// to decode as the compiler does (a file that cannot be read is handed on without bytes, as the compiler hands the
    /// generator no text for it, so that lint and build report it alike), and the .editorconfig and .globalconfig files
    /// in the folders above them, whose <c>dotnet_diagnostic.ROSxxxx.severity</c> settings the generator applies as the build does.
    /// </summary>
    /// <param name="lockText">The lock file's text to hand on instead of the file's (a repair compiles with the lock it is about to write); null for the file.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public async Task<IReadOnlyList<SqlLinter.LintFile>> ReadLintFilesAsync(CancellationToken cancellationToken, string? lockText = null)
    {
        var files = new List<SqlLinter.LintFile>();
        foreach (var (folder, kind) in new[] { (ExecutionLayout.MigrationsFolder, ExecutionLayout.MigrationKind), (ExecutionLayout.SeedsFolder, ExecutionLayout.SeedKind) })
        {
            var directory = System.IO.Path.Combine(Path, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(directory).Where(SqlFileName.IsSqlFile).Order(StringComparer.Ordinal))
            {
                files.Add(new SqlLinter.LintFile(file, kind, await ReadBytesAsync(file, cancellationToken).ConfigureAwait(false)));
            }
        }

        if (lockText is not null || File.Exists(LockPath))
        {
            files.Add(new SqlLinter.LintFile(LockPath, ExecutionLayout.LockKind, lockText is null ? await ReadBytesAsync(LockPath, cancellationToken).ConfigureAwait(false) : System.Text.Encoding.UTF8.GetBytes(lockText)));
        }

        foreach (var config in AnalyzerConfigPaths())
        {
            files.Add(new SqlLinter.LintFile(config, ExecutionLayout.AnalyzerConfigKind, await ReadBytesAsync(config, cancellationToken).ConfigureAwait(false)));
        }

        return files;
    }

    private IEnumerable<string> AnalyzerConfigPaths()
    {
        var folders = new List<string> { System.IO.Path.Combine(Path, ExecutionLayout.MigrationsFolder), System.IO.Path.Combine(Path, ExecutionLayout.SeedsFolder) };
        for (var folder = new DirectoryInfo(Path); folder is not null; folder = folder.Parent)
        {
            folders.Add(folder.FullName);
        }

        foreach (var folder in folders)
        {
            foreach (var name in AnalyzerConfigNames)
            {
                var path = System.IO.Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }
        }
    }

    private static async Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A name that is not valid UTF-8 is listed with U+FFFD in it and cannot be opened by that name.
            return null;
        }
    }

    /// <summary>
    /// The lock file as <c>repair</c> rewrites it: <paramref name="version"/> released with the checksum its file has
    /// now, every other entry as it is, with that checksum; null when there is no lock file, the version is not released
    /// in it or has no file, or its released checksum already is the file's.
    /// </summary>
    public async Task<(string Text, string Checksum)?> AcceptEditAsync(string version, CancellationToken cancellationToken)
    {
        var current = await ReadLockAsync(cancellationToken).ConfigureAwait(false);
        var released = current?.Entries.FirstOrDefault(e => e.Version == version);
        var file = (await ReadMigrationsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.Version == version);
        if (current is null || released is null || file is null || released.Checksum == file.Checksum)
        {
            return null;
        }

        var entries = current.Entries.Select(e => new MigrationChecksum(e.Version, e.Version == version ? file.Checksum : e.Checksum));
        return (MigrationLockFile.Write(entries), file.Checksum);
    }

    /// <summary>The lock file, or null when the project has none yet.</summary>
    public async Task<MigrationLockFile?> ReadLockAsync(CancellationToken cancellationToken) =>
        File.Exists(LockPath) ? MigrationLockFile.Parse(await File.ReadAllTextAsync(LockPath, cancellationToken).ConfigureAwait(false)) : null;
}
