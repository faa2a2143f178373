namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>
/// A PostgreSQL lexer that never throws: every character of the input lands in exactly one token, and an
/// unterminated string, identifier or comment runs to the end of the text with <see cref="SqlToken.Unterminated"/> set.
/// It reads a script as psql does: a backslash outside quotes starts a meta-command that runs to the end of its line,
/// and the lines after <c>COPY … FROM STDIN;</c>, up to a line <c>\.</c>, are the rows it reads, not SQL.
/// </summary>
internal static class SqlLexer
{
    public static List<SqlToken> Tokenize(string text)
    {
        var tokens = new List<SqlToken>();
        var position = 0;
        var statementStart = 0;
        while (position < text.Length)
        {
            var token = Next(text, position);
            tokens.Add(token);
            position = token.End;
            if (token.Kind != SqlTokenKind.Semicolon)
            {
                continue;
            }

            if (IsCopyFromStdin(text, tokens, statementStart))
            {
                position = CopyData(text, tokens, position);
            }

            statementStart = tokens.Count;
        }

        return tokens;
    }

    /// <summary>Whether the tokens from <paramref name="start"/> (up to the semicolon just added) are COPY … FROM STDIN.</summary>
    private static bool IsCopyFromStdin(string text, List<SqlToken> tokens, int start)
    {
        var words = tokens.Skip(start).Where(t => !t.IsTrivia && !t.IsPsqlInput).ToList();
        if (words.Count == 0 || !words[0].IsWord(text, "COPY"))
        {
            return false;
        }

        for (var i = 1; i + 1 < words.Count; i++)
        {
            if (words[i].IsWord(text, "FROM") && words[i + 1].IsWord(text, "STDIN"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// After COPY … FROM STDIN; the rest of its line is SQL as usual, then every line up to and including a line
    /// that is exactly <c>\.</c> is one <see cref="SqlTokenKind.CopyData"/> token (unterminated without that line).
    /// </summary>
    private static int CopyData(string text, List<SqlToken> tokens, int position)
    {
        while (position < text.Length && !IsLineBreak(text[position]))
        {
            var end = position;
            while (end < text.Length && IsWhitespace(text[end]) && !IsLineBreak(text[end]))
            {
                end++;
            }

            var rest = end > position ? new SqlToken(SqlTokenKind.Whitespace, position, end - position) : Next(text, position);
            tokens.Add(rest);
            position = rest.End;
        }

        if (position < text.Length)
        {
            var breakLength = LineBreakLength(text, position);
            tokens.Add(new SqlToken(SqlTokenKind.Whitespace, position, breakLength));
            position += breakLength;
        }

        var start = position;
        while (position < text.Length)
        {
            var lineEnd = position;
            while (lineEnd < text.Length && !IsLineBreak(text[lineEnd]))
            {
                lineEnd++;
            }

            var terminator = lineEnd - position == 2 && text[position] == '\\' && text[position + 1] == '.';
            position = lineEnd;
            if (terminator)
            {
                tokens.Add(new SqlToken(SqlTokenKind.CopyData, start, position - start));
                return position;
            }

            position += position < text.Length ? LineBreakLength(text, position) : 0;
        }

        if (position > start)
        {
            tokens.Add(new SqlToken(SqlTokenKind.CopyData, start, position - start, Unterminated: true));
        }

        return position;
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r';

    private static int LineBreakLength(string text, int position) =>
        text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;

    private static SqlToken Next(string text, int start)
    {
        var c = text[start];
        var next = start + 1 < text.Length ? text[start + 1] : '\0';

        if (IsWhitespace(c))
        {
            var end = start + 1;
            while (end < text.Length && IsWhitespace(text[end]))
            {
                end++;
            }

            return new SqlToken(SqlTokenKind.Whitespace, start, end - start);
        }

        if (c == '-' && next == '-')
        {
            var end = start + 2;
            while (end < text.Length && text[end] != '\n' && text[end] != '\r')
            {
                end++;
            }

            return new SqlToken(SqlTokenKind.LineComment, start, end - start);
        }

        if (c == '/' && next == '*')
        {
            return BlockComment(text, start);
        }

        if (c == '\'')
        {
            return QuotedString(text, start, start + 1, backslashEscapes: false);
        }

        if ((c is 'e' or 'E') && next == '\'')
        {
            return QuotedString(text, start, start + 2, backslashEscapes: true);
        }

        if ((c is 'n' or 'N' or 'b' or 'B' or 'x' or 'X') && next == '\'')
        {
            return QuotedString(text, start, start + 2, backslashEscapes: false);
        }

        if ((c is 'u' or 'U') && next == '&' && start + 2 < text.Length && text[start + 2] is '\'' or '"')
        {
            return text[start + 2] == '\''
                ? QuotedString(text, start, start + 3, backslashEscapes: false)
                : QuotedIdentifier(text, start, start + 3);
        }

        if (c == '"')
        {
            return QuotedIdentifier(text, start, start + 1);
        }

        if (c == '$')
        {
            return Dollar(text, start);
        }

        if (c == '\\')
        {
            var end = start + 1;
            while (end < text.Length && text[end] != '\n' && text[end] != '\r')
            {
                end++;
            }

            return new SqlToken(SqlTokenKind.MetaCommand, start, end - start);
        }

        if (IsIdentifierStart(c))
        {
            var end = start + 1;
            while (end < text.Length && IsIdentifierPart(text[end]))
            {
                end++;
            }

            return new SqlToken(SqlTokenKind.Word, start, end - start);
        }

        if (IsDigit(c) || (c == '.' && IsDigit(next)))
        {
            return Number(text, start);
        }

        switch (c)
        {
            case '(':
                return new SqlToken(SqlTokenKind.OpenParen, start, 1);
            case ')':
                return new SqlToken(SqlTokenKind.CloseParen, start, 1);
            case '[':
                return new SqlToken(SqlTokenKind.OpenBracket, start, 1);
            case ']':
                return new SqlToken(SqlTokenKind.CloseBracket, start, 1);
            case ',':
                return new SqlToken(SqlTokenKind.Comma, start, 1);
            case ';':
                return new SqlToken(SqlTokenKind.Semicolon, start, 1);
            case '.':
                return new SqlToken(SqlTokenKind.Dot, start, 1);
            case ':' when next == ':':
                return new SqlToken(SqlTokenKind.Cast, start, 2);
            default:
                return Operator(text, start);
        }
    }

    private static SqlToken BlockComment(string text, int start)
    {
        // PostgreSQL block comments nest: /* a /* b */ c */ is one comment.
        var depth = 1;
        var position = start + 2;
        while (position < text.Length)
        {
            if (text[position] == '/' && position + 1 < text.Length && text[position + 1] == '*')
            {
                depth++;
                position += 2;
            }
            else if (text[position] == '*' && position + 1 < text.Length && text[position + 1] == '/')
            {
                depth--;
                position += 2;
                if (depth == 0)
                {
                    return new SqlToken(SqlTokenKind.BlockComment, start, position - start);
                }
            }
            else
            {
                position++;
            }
        }

        return new SqlToken(SqlTokenKind.BlockComment, start, text.Length - start, Unterminated: true);
    }

    private static SqlToken QuotedString(string text, int start, int bodyStart, bool backslashEscapes)
    {
        var position = bodyStart;
        while (position < text.Length)
        {
            var c = text[position];
            if (backslashEscapes && c == '\\')
            {
                position += 2;
                continue;
            }

            if (c == '\'')
            {
                if (position + 1 < text.Length && text[position + 1] == '\'')
                {
                    position += 2;
                    continue;
                }

                return new SqlToken(SqlTokenKind.String, start, position + 1 - start);
            }

            position++;
        }

        return new SqlToken(SqlTokenKind.String, start, text.Length - start, Unterminated: true);
    }

    private static SqlToken QuotedIdentifier(string text, int start, int bodyStart)
    {
        var position = bodyStart;
        while (position < text.Length)
        {
            if (text[position] == '"')
            {
                if (position + 1 < text.Length && text[position + 1] == '"')
                {
                    position += 2;
                    continue;
                }

                return new SqlToken(SqlTokenKind.QuotedIdentifier, start, position + 1 - start);
            }

            position++;
        }

        return new SqlToken(SqlTokenKind.QuotedIdentifier, start, text.Length - start, Unterminated: true);
    }

    private static SqlToken Dollar(string text, int start)
    {
        var position = start + 1;
        if (position < text.Length && IsDigit(text[position]))
        {
            while (position < text.Length && IsDigit(text[position]))
            {
                position++;
            }

            return new SqlToken(SqlTokenKind.Parameter, start, position - start);
        }

        // A dollar-quote tag is an identifier without '$': $$ or $body$.
        while (position < text.Length && text[position] != '$' && IsIdentifierPart(text[position]))
        {
            position++;
        }

        if (position >= text.Length || text[position] != '$')
        {
            return new SqlToken(SqlTokenKind.Operator, start, 1);
        }

        var tag = text.Substring(start, position + 1 - start);
        var close = text.IndexOf(tag, position + 1, StringComparison.Ordinal);
        return close < 0
            ? new SqlToken(SqlTokenKind.DollarString, start, text.Length - start, Unterminated: true)
            : new SqlToken(SqlTokenKind.DollarString, start, close + tag.Length - start);
    }

    private static SqlToken Number(string text, int start)
    {
        // PostgreSQL 16 integer literals in other bases: 0x1F, 0o17, 0b101, with optional underscores.
        if (text[start] == '0' && start + 2 < text.Length && text[start + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B' && IsHexDigit(text[start + 2]))
        {
            var end = start + 2;
            while (end < text.Length && (IsHexDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            return new SqlToken(SqlTokenKind.Number, start, end - start);
        }

        var position = start;
        while (position < text.Length && (IsDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        if (position < text.Length && text[position] == '.' && !(position + 1 < text.Length && text[position + 1] == '.'))
        {
            position++;
            while (position < text.Length && IsDigit(text[position]))
            {
                position++;
            }
        }

        if (position < text.Length && text[position] is 'e' or 'E')
        {
            var exponent = position + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && IsDigit(text[exponent]))
            {
                position = exponent;
                while (position < text.Length && IsDigit(text[position]))
                {
                    position++;
                }
            }
        }

        return new SqlToken(SqlTokenKind.Number, start, position - start);
    }

    private static SqlToken Operator(string text, int start)
    {
        var position = start + 1;
        while (position < text.Length && IsOperatorChar(text[position]))
        {
            // A comment start ends an operator run, as it does in PostgreSQL's own scanner.
            if ((text[position] == '-' && position + 1 < text.Length && text[position + 1] == '-') ||
                (text[position] == '/' && position + 1 < text.Length && text[position + 1] == '*'))
            {
                break;
            }

            position++;
        }

        return IsOperatorChar(text[start])
            ? new SqlToken(SqlTokenKind.Operator, start, position - start)
            : new SqlToken(SqlTokenKind.Operator, start, 1);
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\uFEFF';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHexDigit(char c) => IsDigit(c) || c is (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (c >= '\u0080' && c != '\uFEFF');

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c) || c == '$';

    private static bool IsOperatorChar(char c) => c is '+' or '-' or '*' or '/' or '<' or '>' or '=' or '~' or '!' or '@' or '#' or '%' or '^' or '&' or '|' or '`' or '?' or ':';
}
