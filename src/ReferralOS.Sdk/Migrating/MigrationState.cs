namespace ReferralOS.Sdk;

/// <summary>Where a migration stands against a database.</summary>
public enum MigrationState
{
    /// <summary>Applied, with the checksum the code has.</summary>
    Applied,

    /// <summary>Not applied yet.</summary>
    Pending,

    /// <summary>Applied, but the file was edited afterwards: the recorded checksum differs.</summary>
    ChecksumMismatch,

    /// <summary>Recorded by the database but unknown to the code.</summary>
    Unknown,

    /// <summary>Applied, with the checksum the code has, because <c>repair</c> accepted an edit of its file after it was applied (the <c>&lt;history&gt;_repairs</c> table says when and why).</summary>
    Repaired,
}
