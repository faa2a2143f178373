namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>One statement of a SQL text: its significant tokens and the comments directly before it.</summary>
internal sealed class SqlStatement
{
    public SqlStatement(string source, IReadOnlyList<SqlToken> tokens, IReadOnlyList<SqlToken> leadingComments)
    {
        Source = source;
        Tokens = tokens;
        LeadingComments = leadingComments;
    }

    public string Source { get; }

    /// <summary>The significant tokens, without trivia and without the closing semicolon.</summary>
    public IReadOnlyList<SqlToken> Tokens { get; }

    /// <summary>The comments between the previous statement and this one, in order.</summary>
    public IReadOnlyList<SqlToken> LeadingComments { get; }

    public int Start => Tokens[0].Start;

    /// <summary>The offset just past the statement, its semicolon included.</summary>
    public int End { get; internal set; }

    public bool IsWord(int index, string word) => index >= 0 && index < Tokens.Count && Tokens[index].IsWord(Source, word);

    public string TokenText(int index) => Tokens[index].Text(Source);

    /// <summary>The first significant words upper-cased, e.g. "CREATE INDEX CONCURRENTLY".</summary>
    public string Lead(int words)
    {
        var parts = new List<string>();
        for (var i = 0; i < Tokens.Count && parts.Count < words && Tokens[i].Kind == SqlTokenKind.Word; i++)
        {
            parts.Add(TokenText(i).ToUpperInvariant());
        }

        return string.Join(" ", parts);
    }
}
