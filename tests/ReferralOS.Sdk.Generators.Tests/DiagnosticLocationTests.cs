namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>A diagnostic lands on the offending characters of the file as it is on disk, whatever its line endings and BOM.</summary>
public sealed class DiagnosticLocationTests
{
    [Theory]
    [InlineData("\n", "")]
    [InlineData("\r\n", "")]
    [InlineData("\r\n", "\uFEFF")]
    [InlineData("\n", "\uFEFF")]
    public void The_span_covers_the_offending_clause_in_the_file_as_written(string newline, string bom)
    {
        var (path, text) = SqlFiles.Migration(2, "change", "ALTER TABLE accounts\n  DROP COLUMN name;", timeouts: true);
        var onDisk = bom + text.Replace("\n", newline, StringComparison.Ordinal);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, (path, onDisk)).Diagnostics);

        Assert.Equal("DROP COLUMN name", onDisk.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((8, 2, 8, 18), (span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character));
    }
}
