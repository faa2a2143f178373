namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>
/// Splits a token stream into statements at top-level semicolons, the way psql does: semicolons inside
/// strings, dollar quotes, quoted identifiers and comments are tokens of their own kind, a semicolon inside
/// parentheses does not end a statement, and a SQL-standard function body (<c>BEGIN ATOMIC … END</c>) is kept whole.
/// </summary>
internal static class SqlStatementSplitter
{
    public static List<SqlStatement> Split(string source) => Split(source, SqlLexer.Tokenize(source));

    public static List<SqlStatement> Split(string source, IReadOnlyList<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var significant = new List<SqlToken>();
        var comments = new List<SqlToken>();
        var beginDepth = 0;
        var parenDepth = 0;

        foreach (var token in tokens)
        {
            if (token.IsTrivia)
            {
                if (significant.Count == 0 && token.Kind != SqlTokenKind.Whitespace)
                {
                    comments.Add(token);
                }

                continue;
            }

            parenDepth = token.Kind switch
            {
                SqlTokenKind.OpenParen => parenDepth + 1,
                SqlTokenKind.CloseParen => Math.Max(0, parenDepth - 1),
                _ => parenDepth,
            };

            if (token.Kind == SqlTokenKind.Semicolon && beginDepth == 0 && parenDepth == 0)
            {
                if (significant.Count > 0)
                {
                    statements.Add(new SqlStatement(source, significant.ToArray(), comments.ToArray()) { End = token.End });
                }

                significant.Clear();
                comments.Clear();
                continue;
            }

            significant.Add(token);
            if (token.Kind == SqlTokenKind.Word && IsRoutineDefinition(source, significant))
            {
                if (token.IsWord(source, "BEGIN") || (beginDepth > 0 && token.IsWord(source, "CASE")))
                {
                    beginDepth++;
                }
                else if (beginDepth > 0 && token.IsWord(source, "END"))
                {
                    beginDepth--;
                }
            }
        }

        if (significant.Count > 0)
        {
            var last = significant[significant.Count - 1];
            statements.Add(new SqlStatement(source, significant.ToArray(), comments.ToArray()) { End = last.End });
        }

        return statements;
    }

    private static bool IsRoutineDefinition(string source, List<SqlToken> tokens)
    {
        if (tokens.Count < 2 || !tokens[0].IsWord(source, "CREATE"))
        {
            return false;
        }

        var index = 1;
        if (tokens[1].IsWord(source, "OR") && tokens.Count > 3 && tokens[2].IsWord(source, "REPLACE"))
        {
            index = 3;
        }

        return index < tokens.Count && (tokens[index].IsWord(source, "FUNCTION") || tokens[index].IsWord(source, "PROCEDURE"));
    }
}
