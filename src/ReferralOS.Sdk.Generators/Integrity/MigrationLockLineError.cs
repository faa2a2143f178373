namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>A line of <c>migrations.lock</c> that is not a comment, the sum line or an entry.</summary>
/// <param name="Line">The zero-based line.</param>
/// <param name="Text">The line as written.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record MigrationLockLineError(int Line, string Text, string Reason);
