using System.Text.RegularExpressions;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>One <c>-- Key: value</c> line of a file's header block.</summary>
internal sealed record HeaderEntry(string Key, string Value, int Line, int ValueStart, int ValueEnd);

/// <summary>
/// The header block: the <c>-- Key: value</c> lines at the very top of a file, up to the first line that is
/// blank or not of that form.
/// </summary>
internal sealed class FileHeader
{
    private static readonly Regex EntryLine = new(@"^--[ \t]*(?<key>[A-Za-z][A-Za-z-]*)[ \t]*:[ \t]*(?<value>.*?)[ \t]*$", RegexOptions.CultureInvariant);

    private FileHeader(IReadOnlyList<HeaderEntry> entries, int endLine)
    {
        Entries = entries;
        EndLine = endLine;
    }

    public IReadOnlyList<HeaderEntry> Entries { get; }

    /// <summary>The zero-based line just past the header block.</summary>
    public int EndLine { get; }

    public HeaderEntry? Find(string key) =>
        Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public static FileHeader Read(SqlSource source)
    {
        var entries = new List<HeaderEntry>();
        var line = 0;
        for (; line < source.Lines.LineCount; line++)
        {
            var match = EntryLine.Match(source.LineText(line));
            if (!match.Success)
            {
                break;
            }

            var lineStart = source.Lines.LineStart(line);
            var value = match.Groups["value"];
            entries.Add(new HeaderEntry(match.Groups["key"].Value, value.Value, line, lineStart + value.Index, lineStart + value.Index + value.Length));
        }

        return new FileHeader(entries, line);
    }
}
