namespace ReferralOS.Sdk;

/// <summary>
/// A <c>Transaction: none</c> migration's index exists INVALID: an earlier <c>CREATE INDEX CONCURRENTLY</c> was
/// interrupted (killed, cancelled, timed out, or its session ended). <c>IF NOT EXISTS</c> would skip it and the file
/// would be recorded with an index that the planner never uses and that still slows every write, so the run stops
/// before the file runs (or before it is recorded) and names the statements that clear it.
/// </summary>
public sealed class InvalidIndexException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="version">The migration that creates the indexes.</param>
    /// <param name="path">The migration's file.</param>
    /// <param name="indexes">The INVALID indexes, schema-qualified.</param>
    /// <param name="beforeRun">True when found before the file ran, false when found after it ran (then it is not recorded).</param>
    public InvalidIndexException(string version, string path, IReadOnlyList<string> indexes, bool beforeRun)
        : base(
            $"Migration {version} ({path}) {(beforeRun ? "creates" : "ran, but created")} {(indexes.Count == 1 ? "an index that exists" : "indexes that exist")} INVALID: {string.Join(", ", indexes)} — " +
            "left by an interrupted CREATE INDEX CONCURRENTLY (or one still being built by another session). " +
            $"{(beforeRun ? "The file did not run" : "The file is not recorded as applied")}. Drop {(indexes.Count == 1 ? "it" : "them")} and run migrate again, which builds {(indexes.Count == 1 ? "it" : "them")} anew: " +
            string.Join(" ", indexes.Select(i => $"DROP INDEX CONCURRENTLY IF EXISTS {i};")) +
            $" Or let the runtime do it: {nameof(MigrationOptions)}.{nameof(MigrationOptions.RebuildInvalidIndexes)} = true (referralos-db migrate --rebuild-invalid-indexes).")
    {
        Version = version;
        Path = path;
        Indexes = indexes;
    }

    /// <summary>The migration that creates the indexes.</summary>
    public string Version { get; }

    /// <summary>The migration's file.</summary>
    public string Path { get; }

    /// <summary>The INVALID indexes, schema-qualified as PostgreSQL prints them.</summary>
    public IReadOnlyList<string> Indexes { get; }
}
