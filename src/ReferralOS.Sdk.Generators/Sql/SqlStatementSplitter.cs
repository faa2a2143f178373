namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>
/// Splits a token stream into statements at top-level semicolons, the way psql does: semicolons inside
/// strings, dollar quotes, quoted identifiers and comments are tokens of their own kind, a semicolon inside
/// parentheses does not end a statement, and a SQL-standard function body (<c>BEGIN ATOMIC … END</c>) is kept whole.
/// What psql handles itself (a meta-command line, COPY rows) belongs to no statement and ends the one before it.
/// </summary>
internal static class SqlStatementSplitter
{
    public static List<SqlStatement> Split(string source) => Split(source, SqlLexer.Tokenize(source));

    public static List<SqlStatement> Split(string source, IReadOnlyList<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var significant = new List<SqlToken>();
        var comments = new List<SqlToken>();
        var bodyDepth = 0;
        var parenDepth = 0;

        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (token.IsTrivia)
            {
                if (significant.Count == 0 && token.IsComment)
                {
                    comments.Add(token);
                }

                continue;
            }

            if (token.IsPsqlInput)
            {
                if (significant.Count > 0)
                {
                    var last = significant[significant.Count - 1];
                    statements.Add(new SqlStatement(source, significant.ToArray(), comments.ToArray()) { End = last.End });
                }

                significant.Clear();
                comments.Clear();
                bodyDepth = 0;
                parenDepth = 0;
                continue;
            }

            parenDepth = token.Kind switch
            {
                SqlTokenKind.OpenParen => parenDepth + 1,
                SqlTokenKind.CloseParen => Math.Max(0, parenDepth - 1),
                _ => parenDepth,
            };

            if (token.Kind == SqlTokenKind.Semicolon && bodyDepth == 0 && parenDepth == 0)
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
            if (token.Kind != SqlTokenKind.Word)
            {
                continue;
            }

            // Only BEGIN ATOMIC opens a body: begin, end and atomic are also plain names (a parameter called begin).
            // Inside the body, CASE … END nests; both are reserved words there, so they cannot be names.
            if (bodyDepth == 0)
            {
                if (parenDepth == 0 && token.IsWord(source, "BEGIN") && NextWordIs(source, tokens, t, "ATOMIC") && IsRoutineDefinition(source, significant))
                {
                    bodyDepth = 1;
                }
            }
            else if (token.IsWord(source, "CASE"))
            {
                bodyDepth++;
            }
            else if (token.IsWord(source, "END"))
            {
                bodyDepth--;
            }
        }

        if (significant.Count > 0)
        {
            var last = significant[significant.Count - 1];
            statements.Add(new SqlStatement(source, significant.ToArray(), comments.ToArray()) { End = last.End });
        }

        return statements;
    }

    private static bool NextWordIs(string source, IReadOnlyList<SqlToken> tokens, int index, string word)
    {
        for (var i = index + 1; i < tokens.Count; i++)
        {
            if (!tokens[i].IsTrivia && !tokens[i].IsPsqlInput)
            {
                return tokens[i].IsWord(source, word);
            }
        }

        return false;
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
