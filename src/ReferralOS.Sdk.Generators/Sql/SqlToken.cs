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

    /// <summary>A psql meta-command: a backslash outside quotes and the rest of its line (<c>\set</c>, <c>\i file</c>, <c>\.</c>).</summary>
    MetaCommand,

    /// <summary>The lines of rows after <c>COPY … FROM STDIN;</c>, up to and including the line <c>\.</c>, as psql reads them.</summary>
    CopyData,
}

/// <summary>One token of a SQL text: its kind and where it stands. The text itself stays in the source.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, bool Unterminated = false)
{
    public int End => Start + Length;

    /// <summary>Whitespace and comments: what lies between the tokens of a statement.</summary>
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    public bool IsComment => Kind is SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    /// <summary>What psql acts on itself, never sending it to the server: meta-commands and COPY rows.</summary>
    public bool IsPsqlInput => Kind is SqlTokenKind.MetaCommand or SqlTokenKind.CopyData;

    public string Text(string source) => source.Substring(Start, Length);

    public bool IsWord(string source, string word) =>
        Kind == SqlTokenKind.Word && Length == word.Length && string.Compare(source, Start, word, 0, Length, StringComparison.OrdinalIgnoreCase) == 0;
}
