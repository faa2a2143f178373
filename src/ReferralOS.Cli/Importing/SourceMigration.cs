namespace ReferralOS.Cli.Importing;

/// <summary>A SQL text taken from a source file: the file (relative to the source folder) and the line it starts on there.</summary>
/// <param name="Path">The file, relative to the folder being imported, e.g. <c>2019-02-23-172340_create_users/up.sql</c>.</param>
/// <param name="Text">The SQL exactly as written (a leading byte-order mark removed).</param>
/// <param name="FirstLine">The one-based line of the file that <paramref name="Text"/> starts on.</param>
internal sealed record SourceSql(string Path, string Text, int FirstLine);

/// <summary>One migration as its tool knows it, in the tool's own order.</summary>
/// <param name="Version">The version exactly as the tool records it in its history table, e.g. <c>20190223172340</c> or <c>1.2.3</c>.</param>
/// <param name="Name">The name part of its file or folder name, as written, e.g. <c>create_users</c>.</param>
/// <param name="Up">What applying it runs.</param>
/// <param name="Down">What reverting it runs; null when the tool has none for it.</param>
/// <param name="OutsideTransaction">Whether the tool ran it outside a transaction.</param>
internal sealed record SourceMigration(string Version, string Name, SourceSql Up, SourceSql? Down, bool OutsideTransaction);

/// <summary>Something in the source folder that import cannot convert faithfully, with where it is.</summary>
/// <param name="Path">The file, relative to the folder being imported.</param>
/// <param name="Line">The one-based line, or 0 for the file as a whole.</param>
/// <param name="Message">What is wrong and what to do.</param>
internal sealed record ImportProblem(string Path, int Line, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Line > 0 ? $"{Path}({Line}): {Message}" : $"{Path}: {Message}";
}

/// <summary>What reading a source folder found: its migrations, in order, what cannot be imported, and what was left aside.</summary>
internal sealed class SourceFolder
{
    /// <summary>The folder, in full.</summary>
    public required string Path { get; init; }

    /// <summary>The migrations, in the order the tool applies them.</summary>
    public List<SourceMigration> Migrations { get; } = [];

    /// <summary>What stops the import: nothing is written while there is any.</summary>
    public List<ImportProblem> Problems { get; } = [];

    /// <summary>Files the tool itself would not run either (a README, a file of another naming), left where they are.</summary>
    public List<ImportProblem> Skipped { get; } = [];

    /// <summary>Records a problem.</summary>
    public void Problem(string path, int line, string message) => Problems.Add(new ImportProblem(path, line, message));

    /// <summary>The path of a file relative to the folder, with forward slashes, as messages show it.</summary>
    public string Relative(string file) => System.IO.Path.GetRelativePath(Path, file).Replace('\\', '/');

    /// <summary>
    /// Reads a file as UTF-8, strictly (a byte that is not UTF-8 is a problem: the build would read it otherwise than
    /// the source tool did), without a leading byte-order mark. Null when it cannot be read.
    /// </summary>
    public string? ReadText(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            Problem(Relative(file), 0, $"is not UTF-8 (at byte offset {ex.Index + start}): convert it to UTF-8 first, as the build reads every .sql file as UTF-8");
            return null;
        }
    }
}
