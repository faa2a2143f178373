namespace ReferralOS.Sdk;

/// <summary>One migration's status.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Checksum">The compiled checksum; null for a version the code does not know.</param>
/// <param name="AppliedChecksum">The checksum the database recorded; null when not applied.</param>
/// <param name="AppliedAt">When the database applied it; null when not applied.</param>
public sealed record MigrationStatus(string Version, MigrationState State, string? Checksum, string? AppliedChecksum, DateTimeOffset? AppliedAt);
