using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>A place in a .sql file, held as plain data so pipeline models stay equatable (a <see cref="Location"/> is not).</summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static LocationInfo From(string filePath, LineMap lines, int start, int end)
    {
        var (startLine, startColumn) = lines.Position(start);
        var (endLine, endColumn) = lines.Position(end);
        return new LocationInfo(filePath, start, Math.Max(0, end - start), startLine, startColumn, endLine, endColumn);
    }

    /// <summary>The whole of one zero-based line, without its line break.</summary>
    public static LocationInfo ForLine(string filePath, string text, LineMap lines, int line)
    {
        var start = lines.LineStart(line);
        var end = start;
        while (end < text.Length && text[end] != '\n' && text[end] != '\r')
        {
            end++;
        }

        return From(filePath, lines, start, end);
    }

    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
