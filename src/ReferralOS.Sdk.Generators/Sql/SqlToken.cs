namespace ReferralOS.Sdk.Generators.Sql;

internal enum SqlTokenKind
{
    Whitespace,
    LineComment,
    BlockComment,

    /// <summary>A word: a keyword or an unquoted identifier.</summary>
    Word,
    QuotedIdentifier,

    /// <summary>A quoted string constant: '…', E'…', N'…', U&amp;'…', B'…', X'…'.</summary>
    String,

    /// <summary>A dollar-quoted string constant: $$…$$ or $tag$…$tag$.</summary>
    DollarString,
    Number,

    /// <summary>A positional parameter such as $1.</summary>
    Parameter,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Semicolon,
    Dot,

    /// <summary>The <c>::</c> cast operator.</summary>
    Cast,

    /// <summary>Any other operator character run.</summary>
    Operator,
}

/// <summary>One token of a SQL text: its kind and where it stands. The text itself stays in the source.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, bool Unterminated = false)
{
    public int End => Start + Length;

    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    public string Text(string source) => source.Substring(Start, Length);

    public bool IsWord(string source, string word) =>
        Kind == SqlTokenKind.Word && Length == word.Length && string.Compare(source, Start, word, 0, Length, StringComparison.OrdinalIgnoreCase) == 0;
}
