namespace ReferralOS.Sdk.Shared;

/// <summary>What a history says of one migration, against the code.</summary>
internal enum HistoryMatch
{
    /// <summary>Recorded with the checksum the code's file has.</summary>
    Matches,

    /// <summary>Recorded with another checksum than the code's file has: the file was edited after it was recorded.</summary>
    Edited,

    /// <summary>Recorded without a checksum (NULL): nothing proves the file is what was recorded.</summary>
    NoChecksum,

    /// <summary>Recorded, but the code has no migration of that version: deleted, renamed, or from newer code.</summary>
    Unknown,

    /// <summary>In the code, not recorded: still to apply (or to release).</summary>
    Pending,
}

/// <summary>One migration known to the code or to the history, and how the two compare.</summary>
/// <param name="Match">How they compare.</param>
/// <param name="Recorded">The index of its row in the history, or -1 when it is <see cref="HistoryMatch.Pending"/>.</param>
/// <param name="Code">The index of its migration in the code, or -1 when it is <see cref="HistoryMatch.Unknown"/>.</param>
internal readonly record struct HistoryEntry(HistoryMatch Match, int Recorded, int Code);

/// <summary>
/// The one comparison of a history with the code, by version and checksum: a database's <c>schema_migrations</c> with
/// the compiled catalog (migrate's validation, status) or with the files (verify), and <c>migrations.lock</c> with the
/// files (the build, lock, verify). Each caller decides what a difference means to it; the wording of an edited
/// migration, the difference every one of them reports, is <see cref="EditedMessage"/>. Compiled from this one file
/// into the generator and the runtime.
/// </summary>
internal static class HistoryComparison
{
    private const string Remedy = "Restore the file as it was (git history has it) and put the change in a new migration";

    /// <summary>Compares a history with the code. A version the code lists twice counts once, the last time.</summary>
    /// <typeparam name="TCode">What the code's migrations are.</typeparam>
    /// <typeparam name="TRow">What the history's rows are.</typeparam>
    /// <param name="code">The code's migrations, in order.</param>
    /// <param name="codeVersion">A migration's version.</param>
    /// <param name="codeChecksum">A migration's checksum.</param>
    /// <param name="history">The history's rows, in order.</param>
    /// <param name="rowVersion">A row's version.</param>
    /// <param name="rowChecksum">A row's checksum; null when the row has none.</param>
    /// <returns>One entry per row of the history, in its order, then one per migration of the code it does not record, in code order.</returns>
    public static List<HistoryEntry> Compare<TCode, TRow>(
        IReadOnlyList<TCode> code,
        Func<TCode, string> codeVersion,
        Func<TCode, string> codeChecksum,
        IReadOnlyList<TRow> history,
        Func<TRow, string> rowVersion,
        Func<TRow, string?> rowChecksum)
    {
        var byVersion = new Dictionary<string, int>(code.Count, StringComparer.Ordinal);
        for (var i = 0; i < code.Count; i++)
        {
            byVersion[codeVersion(code[i])] = i;
        }

        var entries = new List<HistoryEntry>(Math.Max(code.Count, history.Count));
        var recorded = new bool[code.Count];
        for (var row = 0; row < history.Count; row++)
        {
            if (!byVersion.TryGetValue(rowVersion(history[row]), out var index))
            {
                entries.Add(new HistoryEntry(HistoryMatch.Unknown, row, -1));
                continue;
            }

            recorded[index] = true;
            var checksum = rowChecksum(history[row]);
            var match = checksum is null ? HistoryMatch.NoChecksum
                : string.Equals(checksum, codeChecksum(code[index]), StringComparison.Ordinal) ? HistoryMatch.Matches
                : HistoryMatch.Edited;
            entries.Add(new HistoryEntry(match, row, index));
        }

        for (var i = 0; i < code.Count; i++)
        {
            if (!recorded[i] && byVersion[codeVersion(code[i])] == i)
            {
                entries.Add(new HistoryEntry(HistoryMatch.Pending, -1, i));
            }
        }

        return entries;
    }

    /// <summary>
    /// The one wording of an edited migration — an applied one the database recorded, or a released one
    /// <c>migrations.lock</c> recorded — for the build's diagnostic, the CLI and the runtime's exception alike.
    /// </summary>
    /// <param name="migration">The migration as the reader needs it named: its version, with its file where the message is not already on it.</param>
    /// <param name="released">Whether the history is <c>migrations.lock</c> (the migration was released) rather than a database's (it was applied).</param>
    /// <param name="recordedChecksum">The checksum the history records.</param>
    /// <param name="fileChecksum">The checksum the file has now.</param>
    /// <returns>The message, without a closing full stop (a diagnostic's has none; a sentence may follow).</returns>
    public static string EditedMessage(string migration, bool released, string recordedChecksum, string fileChecksum) =>
        released
            ? $"{migration} was edited after it was released: {ExecutionLayout.LockFile} records checksum {recordedChecksum} but the file now has {fileChecksum}, and databases that applied it will refuse to migrate. {Remedy}"
            : $"{migration} was edited after it was applied: the database records checksum {recordedChecksum} but the file now has {fileChecksum}, so migrate refuses to run. {Remedy}";
}
