namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>The result of <see cref="MigrationLockVerifier.Update"/>: the new lock text, or why it was refused.</summary>
/// <param name="Text">The lock file's new text (unchanged entries kept, new migrations appended, sum rewritten).</param>
/// <param name="Added">The versions released by this update, in order.</param>
/// <param name="Blocking">Edited, deleted or renamed released migrations: while there are any, the lock is not rewritten.</param>
public sealed record MigrationLockUpdate(string Text, IReadOnlyList<string> Added, IReadOnlyList<MigrationLockFinding> Blocking)
{
    /// <summary>Whether the update can be written.</summary>
    public bool Succeeded => Blocking.Count == 0;
}
