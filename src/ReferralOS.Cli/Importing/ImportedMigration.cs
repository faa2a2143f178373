using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing;

/// <summary>
/// One source migration as a ReferralOS migration file: its new file name, the spec's header with the source tool
/// and version kept in an <c>-- Imported-From:</c> line, the Up SQL exactly as written, and the Down SQL as the
/// spec's commented Down section.
/// </summary>
internal static partial class ImportedMigration
{
    /// <summary>The header key that keeps where a migration came from: <c>-- Imported-From: &lt;tool&gt; &lt;version&gt;</c>.</summary>
    public const string ImportedFromKey = "Imported-From";

    /// <summary>The Created value of migrations whose tool kept no time and that no timestamped migration precedes or follows: unknown.</summary>
    public static readonly DateTimeOffset UnknownCreated = DateTimeOffset.UnixEpoch;

    private const int LongestName = 120;

    /// <summary>The number width of <paramref name="count"/> files: three digits, more when there are more than 999.</summary>
    public static int NumberWidth(int count) => Math.Max(3, count.ToString(CultureInfo.InvariantCulture).Length);

    /// <summary>
    /// The version (file name stem) of the <paramref name="number"/>th migration: the number zero-padded to
    /// <paramref name="width"/>, an underscore and the source name in lower-case snake_case, e.g. <c>004_create_users</c>.
    /// </summary>
    public static string Version(int number, int width, string sourceName)
    {
        var name = NotNameCharacters().Replace(sourceName.ToLowerInvariant(), "_").Trim('_');
        if (name.Length > LongestName)
        {
            name = name[..LongestName].TrimEnd('_');
        }

        name = name.Length == 0 ? "migration" : char.IsAsciiLetter(name[0]) ? name : "migration_" + name;
        return number.ToString(new string('0', width), CultureInfo.InvariantCulture) + "_" + name;
    }

    /// <summary>The Description: the source name in words, e.g. <c>Create users</c>; the tool and version when it has none.</summary>
    public static string Description(SourceTool tool, SourceMigration migration)
    {
        var words = Blanks().Replace(migration.Name.Replace('_', ' ').Replace('-', ' '), " ").Trim();
        return words.Length == 0 ? $"Imported from {tool.Name()} {migration.Version}" : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>
    /// The time a version names, when it is a timestamp: 14 digits <c>yyyyMMddHHmmss</c> or 12 <c>yyyyMMddHHmm</c>, with
    /// or without <c>-</c>, <c>_</c> or <c>.</c> between them (diesel writes <c>2019-02-23-172340</c>, and diesel 2
    /// <c>2024-03-01-120000-0000</c>), in UTC.
    /// </summary>
    public static DateTimeOffset? TimestampOf(string version)
    {
        if (!version.All(c => char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
        {
            return null;
        }

        var digits = new string(version.Where(char.IsAsciiDigit).ToArray());

        // diesel 2 writes a four-digit counter after the time: 2024-03-01-120000-0000, recorded as 202403011200000000.
        if (digits.Length == 18)
        {
            digits = digits[..14];
        }

        var format = digits.Length switch
        {
            14 => "yyyyMMddHHmmss",
            12 => "yyyyMMddHHmm",
            _ => null,
        };
        return format is not null &&
               DateTime.TryParseExact(digits, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) &&
               time.Year is >= 1990 and <= 2100
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;
    }

    /// <summary>
    /// Each migration's Created: the time its version names; for one whose version names none, that of the closest
    /// timestamped migration before it (after it, for those before the first), so Created never goes backwards;
    /// <see cref="UnknownCreated"/> when no version names a time.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> CreatedTimes(IReadOnlyList<SourceMigration> migrations)
    {
        var times = migrations.Select(m => TimestampOf(m.Version)).ToArray();
        var first = times.FirstOrDefault(t => t is not null) ?? UnknownCreated;
        var result = new DateTimeOffset[times.Length];
        var previous = first;
        for (var i = 0; i < times.Length; i++)
        {
            previous = times[i] ?? previous;
            result[i] = previous;
        }

        return result;
    }

    /// <summary>The file's text. The Up SQL is copied exactly; the lines import adds use the line ending the SQL uses.</summary>
    public static string Text(SourceTool tool, SourceMigration migration, string version, DateTimeOffset created)
    {
        var newline = migration.Up.Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var text = new StringBuilder();
        text.Append("-- Migration: ").Append(version).Append(newline);
        text.Append("-- Description: ").Append(Description(tool, migration)).Append(newline);
        text.Append("-- Created: ").Append(created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(newline);
        text.Append("-- ").Append(ImportedFromKey).Append(": ").Append(tool.Name()).Append(' ').Append(migration.Version).Append(newline);
        if (migration.OutsideTransaction)
        {
            text.Append("-- Transaction: none").Append(newline);
        }

        text.Append(newline).Append("-- Up Migration").Append(newline);
        text.Append(migration.Up.Text);
        if (migration.Down is { } down)
        {
            if (!migration.Up.Text.EndsWith('\n'))
            {
                text.Append(newline);
            }

            text.Append(newline).Append("-- Down Migration (commented, for reference)").Append(newline);
            AppendCommented(text, down.Text, newline);
        }

        return text.ToString();
    }

    /// <summary>
    /// Where, in a file <see cref="Text"/> wrote, the Up SQL starts: just past the <c>-- Up Migration</c> line.
    /// </summary>
    public static int UpStart(string fileText)
    {
        var marker = fileText.IndexOf("\n-- Up Migration", StringComparison.Ordinal);
        return fileText.IndexOf('\n', marker + 1) + 1;
    }

    /// <summary>
    /// The lines of the Up SQL that the build would read as its Down marker, ending the Up section there; the file
    /// cannot be converted as written while it has one.
    /// </summary>
    public static IEnumerable<int> DownMarkerLines(SourceSql up)
    {
        var lines = new SourceLines(up.Text);
        for (var line = 0; line < lines.Count; line++)
        {
            if (DownMarker().IsMatch(lines[line].Trim()))
            {
                yield return up.FirstLine + line;
            }
        }
    }

    /// <summary>
    /// Each line of the Down SQL behind <c>-- </c> (a blank line behind <c>--</c>), which the build reads back by
    /// removing exactly that: the Down the runtime runs is the source's, character for character.
    /// </summary>
    private static void AppendCommented(StringBuilder text, string down, string newline)
    {
        var lines = down.Split('\n');
        var count = down.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            // Each line keeps its own line ending; a last line without one gets the file's.
            var line = lines[i].TrimEnd('\r');
            var ending = i < lines.Length - 1 ? (lines[i].EndsWith('\r') ? "\r\n" : "\n") : newline;
            text.Append(line.Length == 0 ? "--" : "-- " + line).Append(ending);
        }
    }

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotNameCharacters();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Blanks();

    /// <summary>The build's Down marker, as the generator's parser finds it.</summary>
    [GeneratedRegex(@"^--[ \t]*Down[ \t]+Migration\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DownMarker();
}
