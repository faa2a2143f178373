namespace ReferralOS.Sdk.Shared;

/// <summary>
/// The layout of a schema folder (<c>execution/</c> unless a project names another): <c>migrations/*.sql</c>,
/// <c>seeds/*.sql</c>, and <c>migrations.lock</c> beside them. The build hands the generator these files as
/// AdditionalFiles whose <c>ReferralOsSqlKind</c> metadata says which is which (buildTransitive/ReferralOS.Sdk.targets,
/// which a test holds to these names), and the CLI reads the same files from disk with the same kinds. Compiled from
/// this one file wherever the layout is read.
/// </summary>
internal static class ExecutionLayout
{
    /// <summary>The schema folder a project or a working directory has when nothing names another.</summary>
    public const string DefaultFolder = "execution";

    /// <summary>The folder of the migrations, inside the schema folder.</summary>
    public const string MigrationsFolder = "migrations";

    /// <summary>The folder of the seeds, inside the schema folder.</summary>
    public const string SeedsFolder = "seeds";

    /// <summary>The integrity file, inside the schema folder beside <see cref="MigrationsFolder"/>.</summary>
    public const string LockFile = "migrations.lock";

    /// <summary>The AdditionalFiles metadata that says what a file is, and its values.</summary>
    public const string KindMetadata = "ReferralOsSqlKind";

    /// <summary>A migration file: <c>migrations/*.sql</c>.</summary>
    public const string MigrationKind = "Migration";

    /// <summary>A seed file: <c>seeds/*.sql</c>.</summary>
    public const string SeedKind = "Seed";

    /// <summary>The lock file.</summary>
    public const string LockKind = "Lock";

    /// <summary>An <c>.editorconfig</c> above the .sql files, whose ROS severities the generator applies to them.</summary>
    public const string AnalyzerConfigKind = "AnalyzerConfig";

    /// <summary>
    /// What a file is by its folder, for a file handed over without <see cref="KindMetadata"/> (a hand-written
    /// AdditionalFiles item): <see cref="MigrationKind"/> under a <c>migrations/</c> folder, <see cref="SeedKind"/>
    /// under a <c>seeds/</c> one, in any case.
    /// </summary>
    /// <param name="path">The file's path, with forward slashes.</param>
    /// <returns>The kind, or null.</returns>
    public static string? KindByFolder(string path) =>
        IsUnder(path, MigrationsFolder) ? MigrationKind
        : IsUnder(path, SeedsFolder) ? SeedKind
        : null;

    private static bool IsUnder(string path, string folder) =>
#if NETSTANDARD2_0
        path.IndexOf("/" + folder + "/", StringComparison.OrdinalIgnoreCase) >= 0;
#else
        path.Contains("/" + folder + "/", StringComparison.OrdinalIgnoreCase);
#endif
}
