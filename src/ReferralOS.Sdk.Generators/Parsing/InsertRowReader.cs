using System.Text;
using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads the rows of <c>INSERT INTO table (columns) VALUES (…), (…)</c> with the literal each gives a column,
/// and the row name from a <c>-- Seed-Row: Name</c> comment directly above the statement.
/// </summary>
internal static class SeedRowParser
{
    private static readonly Regex RowNameDirective = new(@"^--[ \t]*Seed-Row[ \t]*:[ \t]*(?<name>\S*)[ \t]*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static bool IsInsert(SqlStatement statement) => statement.IsWord(0, "INSERT") && statement.IsWord(1, "INTO");

    /// <summary>The name a <c>-- Seed-Row:</c> comment gives the statement, if any, and the comment token.</summary>
    public static (string? Name, SqlToken Comment) ReadRowName(SqlStatement statement)
    {
        for (var i = statement.LeadingComments.Count - 1; i >= 0; i--)
        {
            var comment = statement.LeadingComments[i];
            var match = RowNameDirective.Match(comment.Text(statement.Source));
            if (match.Success)
            {
                return (match.Groups["name"].Value, comment);
            }
        }

        return (null, default);
    }

    /// <summary>The target table, the column list and one list of values per row; null when the statement is not of that shape.</summary>
    public static (string Table, List<string> Columns, List<List<SeedValue>> Rows)? Parse(SqlStatement statement)
    {
        var index = 2;
        var table = SqlIdentifier.ReadQualifiedName(statement, ref index);
        if (table is null)
        {
            return null;
        }

        if (statement.IsWord(index, "AS"))
        {
            index += 2;
        }

        if (index >= statement.Tokens.Count || statement.Tokens[index].Kind != SqlTokenKind.OpenParen)
        {
            return null;
        }

        var columns = new List<string>();
        foreach (var element in SplitTopLevel(statement, index + 1, SqlTokenKind.Comma, stopAtClose: true))
        {
            if (element.Count != 1 || !SqlIdentifier.IsName(statement.Tokens[element[0]]))
            {
                return null;
            }

            columns.Add(SqlIdentifier.Normalize(statement.Source, statement.Tokens[element[0]]));
            index = element[0] + 1;
        }

        index++; // the closing parenthesis
        if (!statement.IsWord(index, "VALUES"))
        {
            return null;
        }

        var rows = new List<List<SeedValue>>();
        index++;
        while (index < statement.Tokens.Count && statement.Tokens[index].Kind == SqlTokenKind.OpenParen)
        {
            var elements = SplitTopLevel(statement, index + 1, SqlTokenKind.Comma, stopAtClose: true);
            var values = new List<SeedValue>();
            for (var i = 0; i < elements.Count && i < columns.Count; i++)
            {
                values.Add(ReadValue(statement, columns[i], elements[i]));
            }

            rows.Add(values);
            index = (elements.Count > 0 ? elements[elements.Count - 1][elements[elements.Count - 1].Count - 1] : index) + 2;
            if (index < statement.Tokens.Count && statement.Tokens[index].Kind == SqlTokenKind.Comma)
            {
                index++;
            }
        }

        return (table, columns, rows);
    }

    private static SeedValue ReadValue(SqlStatement statement, string column, List<int> element)
    {
        var source = statement.Source;
        var tokens = element.Select(i => statement.Tokens[i]).ToList();

        // A trailing cast (::jsonb, ::uuid, ::text[]) does not change the literal.
        var castAt = tokens.FindIndex(t => t.Kind == SqlTokenKind.Cast);
        var literal = castAt >= 0 ? tokens.Take(castAt).ToList() : tokens;

        if (literal.Count == 1)
        {
            var token = literal[0];
            switch (token.Kind)
            {
                case SqlTokenKind.String when !token.Unterminated:
                    return Scalar(column, SeedValueKind.String, Unquote(token.Text(source)));
                case SqlTokenKind.DollarString when !token.Unterminated:
                    var text = token.Text(source);
                    var tag = text.IndexOf('$', 1) + 1;
                    return Scalar(column, SeedValueKind.String, text.Substring(tag, text.Length - (2 * tag)));
                case SqlTokenKind.Number:
                    return Scalar(column, SeedValueKind.Number, token.Text(source).Replace("_", string.Empty));
                case SqlTokenKind.Word when token.IsWord(source, "TRUE") || token.IsWord(source, "FALSE"):
                    return Scalar(column, SeedValueKind.Boolean, token.Text(source).ToLowerInvariant());
                case SqlTokenKind.Word when token.IsWord(source, "NULL"):
                    return Scalar(column, SeedValueKind.Null, string.Empty);
            }
        }

        if (literal.Count == 2 && literal[0].Kind == SqlTokenKind.Operator && literal[0].Text(source) == "-" && literal[1].Kind == SqlTokenKind.Number)
        {
            return Scalar(column, SeedValueKind.Number, "-" + literal[1].Text(source).Replace("_", string.Empty));
        }

        if (literal.Count >= 3 && literal[0].IsWord(source, "ARRAY") && literal[1].Kind == SqlTokenKind.OpenBracket &&
            literal[literal.Count - 1].Kind == SqlTokenKind.CloseBracket)
        {
            var items = new List<string>();
            for (var i = 2; i < literal.Count - 1; i++)
            {
                if (literal[i].Kind == SqlTokenKind.String && !literal[i].Unterminated)
                {
                    items.Add(Unquote(literal[i].Text(source)));
                }
                else if (literal[i].Kind != SqlTokenKind.Comma)
                {
                    return Scalar(column, SeedValueKind.Expression, ExpressionText(source, tokens));
                }
            }

            return new SeedValue(column, SeedValueKind.StringArray, string.Empty, items.ToEquatableArray());
        }

        return Scalar(column, SeedValueKind.Expression, ExpressionText(source, tokens));
    }

    private static SeedValue Scalar(string column, SeedValueKind kind, string text) => new(column, kind, text, EquatableArray<string>.Empty);

    private static string ExpressionText(string source, List<SqlToken> tokens) =>
        tokens.Count == 0 ? string.Empty : source.Substring(tokens[0].Start, tokens[tokens.Count - 1].End - tokens[0].Start);

    /// <summary>The value of a quoted string constant: '' folds to ', and E'' strings take backslash escapes.</summary>
    internal static string Unquote(string text)
    {
        var escapes = text[0] is 'e' or 'E';
        var open = text.IndexOf('\'');
        var body = text.Substring(open + 1, text.Length - open - 2);
        if (!escapes)
        {
            return body.Replace("''", "'");
        }

        var result = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\'' && i + 1 < body.Length && body[i + 1] == '\'')
            {
                result.Append('\'');
                i++;
            }
            else if (c == '\\' && i + 1 < body.Length)
            {
                i++;
                result.Append(body[i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    _ => body[i],
                });
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// Groups the token indexes from <paramref name="start"/> into elements separated by top-level
    /// <paramref name="separator"/>s; with <paramref name="stopAtClose"/>, stops at the parenthesis that closes the list.
    /// </summary>
    private static List<List<int>> SplitTopLevel(SqlStatement statement, int start, SqlTokenKind separator, bool stopAtClose)
    {
        var elements = new List<List<int>>();
        var current = new List<int>();
        var depth = 0;
        for (var i = start; i < statement.Tokens.Count; i++)
        {
            var kind = statement.Tokens[i].Kind;
            if (kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
            {
                if (depth == 0 && stopAtClose)
                {
                    break;
                }

                depth--;
            }
            else if (kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
            {
                depth++;
            }
            else if (kind == separator && depth == 0)
            {
                elements.Add(current);
                current = new List<int>();
                continue;
            }

            current.Add(i);
        }

        if (current.Count > 0)
        {
            elements.Add(current);
        }

        return elements;
    }
}
