using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk;

/// <summary>
/// A migration the database has applied no longer matches the file compiled into the code: someone edited an
/// applied migration. Nothing was applied.
/// </summary>
public sealed class MigrationChecksumMismatchException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="version">The migration's version.</param>
    /// <param name="path">The migration's file.</param>
    /// <param name="appliedChecksum">The checksum the database recorded when it applied the migration.</param>
    /// <param name="compiledChecksum">The checksum of the file compiled into the code.</param>
    public MigrationChecksumMismatchException(string version, string path, string appliedChecksum, string compiledChecksum)
        : base(HistoryComparison.EditedMessage($"Migration {version} ({path})", released: false, appliedChecksum, compiledChecksum) + ". Nothing was applied.")
    {
        Version = version;
        Path = path;
        AppliedChecksum = appliedChecksum;
        CompiledChecksum = compiledChecksum;
    }

    /// <summary>The migration's version.</summary>
    public string Version { get; }

    /// <summary>The migration's file, relative to its project.</summary>
    public string Path { get; }

    /// <summary>The checksum the database recorded.</summary>
    public string AppliedChecksum { get; }

    /// <summary>The checksum of the compiled file.</summary>
    public string CompiledChecksum { get; }
}
