using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// A .sql file as the parser sees it: the text with any BOM removed and its line endings as written, so a CRLF
/// inside a function body or a string reaches the database as it stands in the file (only the checksum normalises
/// line endings). Lines end at LF, CRLF or CR alike.
/// </summary>
internal sealed class SqlSource
{
    private readonly int _bomLength;

    public SqlSource(string path, string originalText)
    {
        Path = path;
        _bomLength = originalText.Length > 0 && originalText[0] == '\uFEFF' ? 1 : 0;
        Text = originalText.Substring(_bomLength);
        Lines = new LineMap(Text);
    }

    public string Path { get; }

    /// <summary>The text without its BOM, line endings as written.</summary>
    public string Text { get; }

    public LineMap Lines { get; }

    /// <summary>Where the characters from <paramref name="start"/> to <paramref name="end"/> of <see cref="Text"/> stand in the file on disk.</summary>
    public LocationInfo Locate(int start, int end)
    {
        var (startLine, startColumn) = Lines.Position(start);
        var (endLine, endColumn) = Lines.Position(end);
        return new LocationInfo(Path, start + _bomLength, Math.Max(0, end - start), startLine, startColumn, endLine, endColumn);
    }

    /// <summary>The whole of one zero-based line, without its line break.</summary>
    public LocationInfo LocateLine(int line)
    {
        var start = Lines.LineStart(line);
        return Locate(start, LineEnd(line));
    }

    /// <summary>The line of a character of the file as it was read (its BOM included), from there to the end of the line.</summary>
    public LocationInfo LocateInOriginal(int originalOffset)
    {
        var offset = Math.Max(0, Math.Min(Text.Length, originalOffset - _bomLength));
        return Locate(offset, LineEnd(Lines.Position(offset).Line));
    }

    public string LineText(int line)
    {
        var start = Lines.LineStart(line);
        return Text.Substring(start, LineEnd(line) - start);
    }

    /// <summary>The line break that ends a zero-based line as written: "\n", "\r\n", "\r", or "" on the last line.</summary>
    public string LineBreak(int line)
    {
        var end = LineEnd(line);
        var next = line + 1 < Lines.LineCount ? Lines.LineStart(line + 1) : Text.Length;
        return Text.Substring(end, next - end);
    }

    public int LineEnd(int line)
    {
        var end = Lines.LineStart(line);
        while (end < Text.Length && Text[end] != '\n' && Text[end] != '\r')
        {
            end++;
        }

        return end;
    }
}
