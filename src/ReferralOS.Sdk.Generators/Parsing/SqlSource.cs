using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// A .sql file as the parser sees it: the text with any BOM removed and line endings normalised to LF (the
/// text every checksum and generated string is made from), plus a map back to offsets in the file as it is on
/// disk, so a diagnostic in a CRLF file still lands on the right characters.
/// </summary>
internal sealed class SqlSource
{
    private readonly LineMap _original;
    private readonly int _bomLength;

    public SqlSource(string path, string originalText)
    {
        Path = path;
        _bomLength = originalText.Length > 0 && originalText[0] == '\uFEFF' ? 1 : 0;
        Text = SqlFileChecksum.NormalizeLineEndings(originalText.Substring(_bomLength));
        Lines = new LineMap(Text);
        _original = new LineMap(originalText);
    }

    public string Path { get; }

    /// <summary>The normalised text: no BOM, LF line endings.</summary>
    public string Text { get; }

    public LineMap Lines { get; }

    public LocationInfo Locate(int start, int end)
    {
        var (startLine, startColumn) = Lines.Position(start);
        var (endLine, endColumn) = Lines.Position(end);
        var originalStart = OriginalOffset(startLine, startColumn);
        var originalEnd = OriginalOffset(endLine, endColumn);
        return new LocationInfo(Path, originalStart, Math.Max(0, originalEnd - originalStart), startLine, startColumn, endLine, endColumn);
    }

    /// <summary>The whole of one zero-based line, without its line break.</summary>
    public LocationInfo LocateLine(int line)
    {
        var start = Lines.LineStart(line);
        return Locate(start, LineEnd(line));
    }

    public string LineText(int line)
    {
        var start = Lines.LineStart(line);
        return Text.Substring(start, LineEnd(line) - start);
    }

    public int LineEnd(int line)
    {
        var end = Lines.LineStart(line);
        while (end < Text.Length && Text[end] != '\n')
        {
            end++;
        }

        return end;
    }

    private int OriginalOffset(int line, int column) => _original.LineStart(line) + column + (line == 0 ? _bomLength : 0);
}
