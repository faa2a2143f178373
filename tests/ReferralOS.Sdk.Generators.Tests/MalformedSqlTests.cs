using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Malformed SQL is a build error on its line, never a silent change to what is applied (ROS0030–ROS0033): an
/// unclosed comment, string, quoted name or dollar quote, a NUL character, bytes that are not UTF-8, a file the
/// compiler cannot read.
/// </summary>
public sealed class MalformedSqlTests
{
    [Fact]
    public void ROS0030_an_unclosed_block_comment_fails_on_its_line_instead_of_dropping_the_rest_of_the_up_section()
    {
        var migration = SqlFiles.Migration(2, "add_nickname", "/* add the column\nALTER TABLE accounts ADD COLUMN nickname TEXT;\nALTER TABLE accounts ADD COLUMN title TEXT;", timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0030", 8), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.Equal(
            "This block comment is never closed, so everything after it to the end of the Up section would be read as part of it and never run: close it with */",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("/* add the column", migration.Text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Theory]
    [InlineData("UPDATE accounts SET name = 'O''Brien;\nALTER TABLE accounts ADD COLUMN title TEXT;", "string constant", "'")]
    [InlineData("UPDATE accounts SET name = E'it\\'s;\nALTER TABLE accounts ADD COLUMN title TEXT;", "string constant", "'")]
    [InlineData("UPDATE accounts SET \"name = 'x';\nALTER TABLE accounts ADD COLUMN title TEXT;", "quoted identifier", "\"")]
    [InlineData("DO $body$ BEGIN PERFORM 1; END $$;\nALTER TABLE accounts ADD COLUMN title TEXT;", "dollar-quoted string $body$", "$body$")]
    public void ROS0030_an_unclosed_string_name_or_dollar_quote_fails_on_the_line_it_opens(string up, string what, string closer)
    {
        var migration = SqlFiles.Migration(2, "change", up, timeouts: true);

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, migration);

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id == "ROS0030");
        Assert.Equal(8, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains($"This {what} is never closed", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.EndsWith($"close it with {closer}", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0030_an_unclosed_string_in_the_down_section_fails_on_its_file_line_and_column()
    {
        var (path, text) = SqlFiles.Migration(2, "add_nickname", "ALTER TABLE accounts ADD COLUMN nickname TEXT;", timeouts: true);
        text = text.Replace("-- SELECT 1;", "-- UPDATE accounts SET name = 'x;\n-- ALTER TABLE accounts DROP COLUMN nickname;", StringComparison.Ordinal);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, (path, text)).Diagnostics);

        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(("ROS0030", 11, 31), (diagnostic.Id, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Contains("to the end of the Down section", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0030_an_unclosed_string_in_a_seed_fails_on_its_line()
    {
        var seed = SqlFiles.Seed(1, "admin", "INSERT INTO accounts (id, name) VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'Ann) ON CONFLICT DO NOTHING;");

        Assert.Equal(["ROS0030@5"], GeneratorHarness.Run(SqlFiles.BaseSchema, seed).Found("ROS0030"));
    }

    [Fact]
    public void Closed_comments_strings_and_dollar_quotes_pass()
    {
        var up = "/* outer /* nested */ still */ UPDATE accounts SET name = E'it\\'s' || 'O''Brien' WHERE \"name\" <> $$;$$;";

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, SqlFiles.Migration(2, "change", up, timeouts: true)).Diagnostics);
    }

    [Fact]
    public void ROS0031_a_NUL_character_fails_on_its_line_and_column()
    {
        var migration = SqlFiles.Migration(2, "change", "UPDATE accounts\n  SET name = 'a\0b';", timeouts: true);

        var diagnostic = Assert.Single(GeneratorHarness.Run(SqlFiles.BaseSchema, migration).Diagnostics);

        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(("ROS0031", 9, 16), (diagnostic.Id, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.StartsWith("This line holds a NUL character (U+0000)", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0032_bytes_that_are_not_UTF_8_fail_on_their_line_as_the_lint_reads_them()
    {
        var bytes = Latin1Migration(out var path);

        var diagnostic = Assert.Single(GeneratorHarness.Run([GeneratorHarness.Text(path, SqlFileText.Decode(bytes))]).Diagnostics, d => d.Id == "ROS0032");

        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((7, 55), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.StartsWith("'001_create_greetings.sql' is not valid UTF-8 on this line (byte 0xE9 at column 55 starts no UTF-8 character)", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0032_bytes_the_compiler_read_as_replacement_characters_fail_on_their_line()
    {
        // Where the system code page is UTF-8 (Linux), the compiler falls back to lenient UTF-8: U+FFFD for each bad byte.
        var bytes = Latin1Migration(out var path);
        var text = SourceText.From(bytes, bytes.Length, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        Assert.Equal(["ROS0032@7"], GeneratorHarness.Run([GeneratorHarness.Text(path, text)]).Found("ROS0032"));
    }

    [Fact]
    public void ROS0032_bytes_the_compiler_read_in_a_code_page_fail_on_their_line()
    {
        // On Windows the compiler falls back to the ANSI code page; ISO-8859-1 stands in for it here.
        var bytes = Latin1Migration(out var path);
        var text = SourceText.From(bytes, bytes.Length, Encoding.Latin1);

        Assert.Equal(["ROS0032@7"], GeneratorHarness.Run([GeneratorHarness.Text(path, text)]).Found("ROS0032"));
    }

    [Fact]
    public void ROS0032_a_file_with_a_BOM_and_bytes_that_are_not_UTF_8_fails_on_their_line()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Latin1Migration(out var path)).ToArray();

        Assert.Equal(["ROS0032@7"], GeneratorHarness.Run([GeneratorHarness.Text(path, SqlFileText.Decode(bytes))]).Found("ROS0032"));
    }

    [Fact]
    public void A_U_FFFD_written_in_valid_UTF_8_is_text_like_any_other()
    {
        var (path, text) = SqlFiles.Migration(1, "create_markers", "CREATE TABLE markers (glyph TEXT DEFAULT '\uFFFD');");

        Assert.Empty(GeneratorHarness.Run([GeneratorHarness.Text(path, SqlFileText.Decode(Encoding.UTF8.GetBytes(text)))]).Diagnostics);
    }

    [Fact]
    public void A_UTF_16_file_with_its_BOM_builds_with_the_checksum_of_the_same_text_in_UTF_8()
    {
        var (path, text) = SqlFiles.Migration(1, "create_greetings", "CREATE TABLE greetings (text TEXT DEFAULT 'café');");
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        var outcome = GeneratorHarness.Run([GeneratorHarness.Text(path, SqlFileText.Decode(utf16))]);

        Assert.Empty(outcome.Diagnostics);
        Assert.Contains($"checksum: \"{SqlFileChecksum.Compute(text)}\"", outcome.Source("FixtureSchema.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void ROS0033_a_file_whose_name_is_not_UTF_8_is_reported_and_left_out_of_the_catalog()
    {
        var outcome = GeneratorHarness.Run([GeneratorHarness.Text(SqlFiles.BaseSchema.Path, SqlFiles.BaseSchema.Text), GeneratorHarness.Unreadable("execution/migrations/002_caf\uFFFD.sql")]);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ROS0033", diagnostic.Id);
        Assert.Equal(
            "'002_caf\uFFFD.sql' cannot be read, so it is in no catalog: its name is not valid UTF-8 (shown with U+FFFD), so it cannot be opened by the name it is listed under; rename it to <number>_<name>.sql",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.DoesNotContain("002_caf", outcome.Source("FixtureSchema.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>A migration saved as Latin-1: line 7 holds 'café' with é as the single byte 0xE9.</summary>
    private static byte[] Latin1Migration(out string path)
    {
        (path, var text) = SqlFiles.Migration(1, "create_greetings", "CREATE TABLE greetings (text TEXT);\nINSERT INTO greetings (text) VALUES ('Bienvenue au café');");
        Assert.Equal(7, SqlFiles.LineOf(text, "café"));
        return Encoding.Latin1.GetBytes(text);
    }
}
