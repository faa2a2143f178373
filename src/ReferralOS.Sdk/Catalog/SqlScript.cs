namespace ReferralOS.Sdk;

/// <summary>
/// A runnable SQL script — a migration's Up or Down section, or a seed — split into statements at build time,
/// so the runtime never parses SQL.
/// </summary>
public sealed class SqlScript
{
    private IReadOnlyList<SqlStatement>? _statements;

    /// <summary>Creates a script from its text and the statement spans the generator found in it.</summary>
    /// <param name="text">The script text, line endings as written in the file (only the checksum normalises them).</param>
    /// <param name="spans">The statements, in order.</param>
    public SqlScript(string text, IReadOnlyList<SqlStatementSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        foreach (var span in spans)
        {
            if (span.Start < 0 || span.Length <= 0 || span.Start + span.Length > text.Length)
            {
                throw new ArgumentException($"Statement span {span} lies outside the script text ({text.Length} characters).", nameof(spans));
            }
        }

        Text = text;
        Spans = spans;
    }

    /// <summary>The script text, as it stands in the file, line endings included: a CRLF inside a function body reaches the database as written.</summary>
    public string Text { get; }

    /// <summary>Where each statement stands.</summary>
    public IReadOnlyList<SqlStatementSpan> Spans { get; }

    /// <summary>The statements, in order.</summary>
    public IReadOnlyList<SqlStatement> Statements =>
        _statements ??= Spans.Select(s => new SqlStatement(Text.Substring(s.Start, s.Length), s.Line, s.Column)).ToArray();
}
