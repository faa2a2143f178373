namespace ReferralOS.Sdk;

/// <summary>Where one statement stands: its span in the script text and its one-based line and column in the .sql file.</summary>
/// <param name="Start">Offset of the statement in <see cref="SqlScript.Text"/>.</param>
/// <param name="Length">Length of the statement, its semicolon included.</param>
/// <param name="Line">One-based line of the statement's first token in the file.</param>
/// <param name="Column">One-based column of the statement's first token in the file.</param>
public readonly record struct SqlStatementSpan(int Start, int Length, int Line, int Column);

/// <summary>One statement of a script, with its place in the .sql file.</summary>
/// <param name="Sql">The statement text, its semicolon included.</param>
/// <param name="Line">One-based line of the statement in the file.</param>
/// <param name="Column">One-based column of the statement in the file.</param>
public sealed record SqlStatement(string Sql, int Line, int Column)
{
    /// <summary>The file line of a one-based character position inside the statement, as PostgreSQL reports errors.</summary>
    /// <param name="position">A one-based character position in <see cref="Sql"/>; 0 (no position reported) means the statement's first line.</param>
    /// <returns>The one-based line in the file.</returns>
    public int LineOf(int position)
    {
        var line = Line;
        for (var i = 0; i < Sql.Length && i < position - 1; i++)
        {
            if (Sql[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}

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
