namespace ReferralOS.Cli.Importing;

/// <summary>
/// The lines of a source file with where each starts, so that a section between two marker lines can be cut out
/// of the text exactly as written — its line endings included — and a problem named by its line.
/// </summary>
internal sealed class SourceLines
{
    private readonly List<int> _starts = [0];

    public SourceLines(string text)
    {
        Text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && i + 1 < text.Length)
            {
                _starts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public int Count => Text.Length == 0 ? 0 : _starts.Count;

    /// <summary>The offset at which a zero-based line starts; the text's length past the last line.</summary>
    public int Start(int line) => line < _starts.Count ? _starts[line] : Text.Length;

    /// <summary>A zero-based line without its line ending.</summary>
    public string this[int line]
    {
        get
        {
            var start = Start(line);
            var end = Start(line + 1);
            return Text[start..end].TrimEnd('\n').TrimEnd('\r');
        }
    }

    /// <summary>The text of the lines from <paramref name="first"/> up to, not including, <paramref name="end"/>, exactly as written.</summary>
    public string Between(int first, int end) => Text[Start(first)..Start(end)];

    /// <summary>
    /// The two sections of a file that holds both directions (dbmate's blocks, goose's sections): the up section from
    /// the line after its marker to the down marker or the end, and the down section after that, null when it holds no SQL.
    /// </summary>
    /// <param name="path">The file, relative to the folder being imported.</param>
    /// <param name="up">The zero-based line of the up marker.</param>
    /// <param name="down">The zero-based line of the down marker, or null when there is none.</param>
    public (SourceSql Up, SourceSql? Down) Sections(string path, int up, int? down)
    {
        var upSql = new SourceSql(path, Between(up + 1, down ?? Count), up + 2);
        var downSql = down is { } d && Between(d + 1, Count) is { } downText && downText.Trim().Length > 0
            ? new SourceSql(path, downText, d + 2)
            : null;
        return (upSql, downSql);
    }

    /// <summary>The one-based line of an offset in a text that starts on line <paramref name="firstLine"/>.</summary>
    public static int LineOf(string text, int offset, int firstLine)
    {
        var line = firstLine;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>Whether a line holds nothing but blanks or a <c>--</c> comment.</summary>
    public static bool IsBlankOrComment(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length == 0 || trimmed.StartsWith("--", StringComparison.Ordinal);
    }
}
