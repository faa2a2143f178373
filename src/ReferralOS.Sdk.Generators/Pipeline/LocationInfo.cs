using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ReferralOS.Sdk.Generators.Pipeline;

/// <summary>A place in a .sql file, held as plain data so pipeline models stay equatable (a <see cref="Location"/> is not).</summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
