namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>A migration as it is now: its version (the file name without <c>.sql</c>) and the checksum of its text.</summary>
/// <param name="Version">The version, e.g. <c>002_create_tenants</c>.</param>
/// <param name="Checksum">The <see cref="SqlFileChecksum"/> of the file's text.</param>
public sealed record MigrationChecksum(string Version, string Checksum)
{
    /// <summary>A migration file's version and checksum, from its name and text; null when the name is not a migration file name.</summary>
    /// <param name="path">The file's path or name, e.g. <c>execution/migrations/002_create_tenants.sql</c>.</param>
    /// <param name="text">The file's text as read from disk.</param>
    /// <returns>The version and checksum, or null.</returns>
    public static MigrationChecksum? FromFile(string path, string text)
    {
        var fileName = SqlFileName.FromPath(path);
        return SqlFileName.TryParse(fileName, out _, out _) ? new MigrationChecksum(SqlFileName.Stem(fileName), SqlFileChecksum.Compute(text)) : null;
    }
}
