namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>One released migration recorded in <c>migrations.lock</c>, and the zero-based line it is on.</summary>
/// <param name="Version">The released version.</param>
/// <param name="Checksum">The checksum its file had when it was released.</param>
/// <param name="Line">The zero-based line of the entry in the lock file.</param>
public sealed record MigrationLockEntry(string Version, string Checksum, int Line);
