using System.Text;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Integrity;

/// <summary>
/// <c>execution/migrations.lock</c>: the migrations released to a database, one line each with the checksum of
/// its file, and a <c>sum</c> line that hashes every entry. Because every release rewrites the sum line, two
/// branches that both add migrations conflict on it in git, and whoever merges second re-runs
/// <c>referralos-db lock</c> after renumbering. Reading and writing it does no IO: callers pass text.
/// </summary>
/// <example>
/// <code>
/// # comment lines start with '#'
/// sum 6b0c…(64 hex digits)
/// 001_create_extensions 4296…(64 hex digits)
/// 002_create_tenants 9a1f…(64 hex digits)
/// </code>
/// </example>
public sealed class MigrationLockFile
{
    /// <summary>The file's name, beside the migrations/ folder.</summary>
    public const string FileName = ExecutionLayout.LockFile;

    private const string SumKeyword = "sum";

    private static readonly string[] Preamble =
    {
        "# ReferralOS migrations.lock: the migrations released to a database and the SHA-256 checksum of each file.",
        "# Written by `referralos-db lock`; do not edit. An edited, deleted or renamed released migration fails the build.",
        "# The sum line hashes every entry, so two branches that both add migrations conflict here: merge one, renumber",
        "# the other's migrations after it, and run `referralos-db lock` again.",
    };

    private MigrationLockFile(IReadOnlyList<MigrationLockEntry> entries, string? recordedSum, int sumLine, IReadOnlyList<MigrationLockLineError> errors)
    {
        Entries = entries;
        RecordedSum = recordedSum;
        SumLine = sumLine;
        Errors = errors;
        ComputedSum = ComputeSum(entries.Select(e => new MigrationChecksum(e.Version, e.Checksum)));
    }

    /// <summary>The released migrations, in the order the file lists them.</summary>
    public IReadOnlyList<MigrationLockEntry> Entries { get; }

    /// <summary>The hash the <c>sum</c> line records, or null when there is none.</summary>
    public string? RecordedSum { get; }

    /// <summary>The zero-based line of the <c>sum</c> line, or -1 when there is none.</summary>
    public int SumLine { get; }

    /// <summary>The hash of <see cref="Entries"/> as they are.</summary>
    public string ComputedSum { get; }

    /// <summary>Whether the <c>sum</c> line matches the entries, i.e. nobody edited or merged them by hand.</summary>
    public bool SumMatches => string.Equals(RecordedSum, ComputedSum, StringComparison.Ordinal);

    /// <summary>The lines that could not be read, in file order.</summary>
    public IReadOnlyList<MigrationLockLineError> Errors { get; }

    /// <summary>Reads a lock file's text. Never throws: unreadable lines are reported in <see cref="Errors"/>.</summary>
    /// <param name="text">The file's text; BOM and line endings do not matter.</param>
    /// <returns>The entries, the sum and the errors.</returns>
    public static MigrationLockFile Parse(string text)
    {
        var entries = new List<MigrationLockEntry>();
        var errors = new List<MigrationLockLineError>();
        string? sum = null;
        var sumLine = -1;
        var lines = SqlFileChecksum.NormalizeLineEndings(text.TrimStart('\uFEFF')).Split('\n');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lastNumber = 0;
        for (var line = 0; line < lines.Length; line++)
        {
            var content = lines[line].Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            if (!HistoryLine.TryRead(content, out var version, out var checksum) || !IsHash(checksum))
            {
                errors.Add(new MigrationLockLineError(line, lines[line], "expected '<version> <64 lower-case hex digits>' or 'sum <64 lower-case hex digits>'"));
            }
            else if (version == SumKeyword)
            {
                if (sum is not null)
                {
                    errors.Add(new MigrationLockLineError(line, lines[line], "a second sum line: keep one"));
                    continue;
                }

                sum = checksum;
                sumLine = line;
            }
            else if (!SqlFileName.TryParse(version + ".sql", out var number, out _))
            {
                errors.Add(new MigrationLockLineError(line, lines[line], $"'{version}' is not a migration version such as 002_create_tenants"));
            }
            else if (!seen.Add(version))
            {
                errors.Add(new MigrationLockLineError(line, lines[line], $"'{version}' is listed twice"));
            }
            else if (number <= lastNumber)
            {
                errors.Add(new MigrationLockLineError(line, lines[line], $"'{version}' is out of order: entries are listed by number"));
            }
            else
            {
                entries.Add(new MigrationLockEntry(version, checksum, line));
                lastNumber = number;
            }
        }

        return new MigrationLockFile(entries, sum, sumLine, errors);
    }

    /// <summary>Writes the text of a lock file that releases <paramref name="migrations"/>, ordered by number, with LF line endings.</summary>
    /// <param name="migrations">The released migrations.</param>
    /// <returns>The file's text.</returns>
    public static string Write(IEnumerable<MigrationChecksum> migrations)
    {
        var ordered = migrations.OrderBy(Number).ThenBy(m => m.Version, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        foreach (var line in Preamble)
        {
            text.Append(line).Append('\n');
        }

        text.Append(HistoryLine.Of(SumKeyword, ComputeSum(ordered))).Append(HistoryLine.LineSeparator);
        foreach (var migration in ordered)
        {
            text.Append(HistoryLine.Of(migration.Version, migration.Checksum)).Append(HistoryLine.LineSeparator);
        }

        return text.ToString();
    }

    /// <summary>The hash the <c>sum</c> line records: the digest of the entries' history lines, in order.</summary>
    /// <param name="migrations">The entries, in file order.</param>
    /// <returns>64 lower-case hex digits.</returns>
    public static string ComputeSum(IEnumerable<MigrationChecksum> migrations) =>
        HistoryLine.Digest(migrations.Select(m => HistoryLine.Of(m.Version, m.Checksum)));

    private static int Number(MigrationChecksum migration) =>
        SqlFileName.TryParse(migration.Version + ".sql", out var number, out _) ? number : int.MaxValue;

    private static bool IsHash(string text) => text.Length == 64 && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
