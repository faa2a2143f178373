namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>Maps character offsets of a text to zero-based line and column numbers (\n, \r\n and \r all end a line).</summary>
internal sealed class LineMap
{
    private readonly List<int> _lineStarts = new() { 0 };

    public LineMap(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                _lineStarts.Add(i + 1);
            }
            else if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }

        Length = text.Length;
    }

    public int Length { get; }

    public int LineCount => _lineStarts.Count;

    public int LineStart(int line) => _lineStarts[Math.Max(0, Math.Min(line, _lineStarts.Count - 1))];

    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Max(0, Math.Min(offset, Length));
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line, offset - _lineStarts[line]);
    }
}
