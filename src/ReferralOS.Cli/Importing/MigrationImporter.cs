using System.Text;
using ReferralOS.Cli.Importing.Layouts;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Cli.Importing;

/// <summary>One file an import writes: its version (file name stem), its text, and the source migration it came from.</summary>
internal sealed record ImportedFile(string Version, string Text, SourceMigration Source)
{
    /// <summary>The file name, e.g. <c>001_create_users.sql</c>.</summary>
    public string FileName => Version + ".sql";
}

/// <summary>
/// <c>referralos-db import</c>'s work: read a folder in another tool's layout, refuse what cannot be converted
/// faithfully, and write each migration, renumbered from 001 in the tool's own order, into <c>execution/migrations</c>.
/// Nothing is written while any problem stands: a history imported in part would be numbered wrong for good.
/// </summary>
internal static class MigrationImporter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reads the folder with the tool's layout and checks every SQL text import would copy.</summary>
    public static SourceFolder Read(SourceTool tool, string folder)
    {
        var source = new SourceFolder { Path = Path.GetFullPath(folder) };
        if (!Directory.Exists(source.Path))
        {
            source.Problem(folder, 0, $"there is no such folder: name the folder that holds the {tool.Name()} migrations");
            return source;
        }

        Action<SourceFolder> read = tool switch
        {
            SourceTool.Diesel => DieselLayout.Read,
            SourceTool.GolangMigrate => GolangMigrateLayout.Read,
            SourceTool.Flyway => FlywayLayout.Read,
            SourceTool.Dbmate => DbmateLayout.Read,
            SourceTool.Goose => GooseLayout.Read,
            SourceTool.Sqlx => SqlxLayout.Read,
            _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "Unknown migration tool."),
        };
        read(source);

        foreach (var migration in source.Migrations)
        {
            foreach (var sql in new[] { migration.Up, migration.Down }.OfType<SourceSql>())
            {
                source.Problems.AddRange(ClientOnlySql.Find(sql));
            }

            foreach (var line in ImportedMigration.DownMarkerLines(migration.Up))
            {
                source.Problem(migration.Up.Path, line, "this comment reads as the '-- Down Migration' line that ends a ReferralOS migration's Up section, so the SQL after it would never run: reword the comment before importing");
            }
        }

        if (source.Migrations.Count == 0 && source.Problems.Count == 0)
        {
            source.Problem(folder, 0, $"holds no {tool.Name()} migration: name the folder that holds them, or pick the --from that wrote them");
        }

        source.Problems.Sort((a, b) => (string.CompareOrdinal(a.Path, b.Path), a.Line.CompareTo(b.Line)) switch
        {
            (0, var byLine) => byLine,
            (var byPath, _) => byPath,
        });
        return source;
    }

    /// <summary>The files for the migrations, numbered from 1 in their order, the width growing past 999.</summary>
    public static IReadOnlyList<ImportedFile> Convert(SourceTool tool, IReadOnlyList<SourceMigration> migrations)
    {
        var width = ImportedMigration.NumberWidth(migrations.Count);
        var created = ImportedMigration.CreatedTimes(migrations);
        return migrations
            .Select((migration, i) =>
            {
                var version = ImportedMigration.Version(i + 1, width, migration.Name);
                return new ImportedFile(version, ImportedMigration.Text(tool, migration, version, created[i]), migration);
            })
            .ToArray();
    }

    /// <summary>Why the execution folder cannot take an import, or null when it can: it must hold no migration and no lock yet.</summary>
    public static string? TargetProblem(string executionPath)
    {
        var migrations = Path.Combine(executionPath, ExecutionLayout.MigrationsFolder);
        if (Directory.Exists(migrations) && Directory.EnumerateFileSystemEntries(migrations).Any())
        {
            return $"{migrations} is not empty: import writes a whole history numbered from 001, so it only goes into a project that has none. Import into a new folder (--execution), or move the files out first";
        }

        var lockFile = Path.Combine(executionPath, ExecutionLayout.LockFile);
        return File.Exists(lockFile)
            ? $"{lockFile} exists: import releases the history it writes in a new lock file. Remove it first, or import into a new folder (--execution)"
            : null;
    }

    /// <summary>
    /// Writes the files into <c>migrations/</c> under the execution folder, all at once: into a folder beside it
    /// first, which then takes its name, so that a failure leaves no half-written history behind.
    /// </summary>
    public static async Task WriteAsync(string executionPath, IReadOnlyList<ImportedFile> files, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(executionPath);
        var staging = Path.Combine(executionPath, $".import-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in files)
            {
                await File.WriteAllTextAsync(Path.Combine(staging, file.FileName), file.Text, Utf8, cancellationToken).ConfigureAwait(false);
            }

            var migrations = Path.Combine(executionPath, ExecutionLayout.MigrationsFolder);
            if (Directory.Exists(migrations))
            {
                Directory.Delete(migrations);
            }

            Directory.Move(staging, migrations);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }
}
