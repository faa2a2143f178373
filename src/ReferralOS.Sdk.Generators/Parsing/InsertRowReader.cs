using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads what an <c>INSERT INTO table (columns) VALUES (…), (…)</c> writes, for <see cref="DdlParser"/>, which reads
/// the target and the column list: the literal each row gives each column, and the row name from a
/// <c>-- Seed-Row: Name</c> comment directly above the statement.
/// </summary>
internal static class InsertRowReader
{
    private static readonly Regex RowNameDirective = new(@"^--[ \t]*Seed-Row[ \t]*:[ \t]*(?<name>\S*)[ \t]*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The name a <c>-- Seed-Row:</c> comment gives the statement, if any.</summary>
    public static string? ReadRowName(SqlStatement statement)
    {
        for (var i = statement.LeadingComments.Count - 1; i >= 0; i--)
        {
            var match = RowNameDirective.Match(statement.LeadingComments[i].Text(statement.Source));
            if (match.Success)
            {
                return match.Groups["name"].Value;
            }
        }

        return null;
    }

    /// <summary>One list of values per row, from the token at <paramref name="index"/>; none when VALUES does not stand there.</summary>
    /// <param name="statement">The INSERT.</param>
    /// <param name="index">The token just past the column list.</param>
    /// <param name="columns">The columns of the list, in order: the n-th value of a row is for the n-th column.</param>
    public static IReadOnlyList<IReadOnlyList<SeedValue>> ReadRows(SqlStatement statement, int index, IReadOnlyList<string> columns)
    {
        if (!statement.IsWord(index, "VALUES"))
        {
            return Array.Empty<IReadOnlyList<SeedValue>>();
        }

        var rows = new List<IReadOnlyList<SeedValue>>();
        index++;
        while (index < statement.Tokens.Count && statement.Tokens[index].Kind == SqlTokenKind.OpenParen)
        {
            var elements = SplitTopLevel(statement, index + 1);
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

        return rows;
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
                    return Scalar(column, SeedValueKind.String, SqlLiteral.Unquote(token.Text(source)));
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
                    items.Add(SqlLiteral.Unquote(literal[i].Text(source)));
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

    /// <summary>
    /// Groups the token indexes from <paramref name="start"/> into elements separated by top-level commas, up to the
    /// parenthesis that closes the list.
    /// </summary>
    private static List<List<int>> SplitTopLevel(SqlStatement statement, int start)
    {
        var elements = new List<List<int>>();
        var current = new List<int>();
        var depth = 0;
        for (var i = start; i < statement.Tokens.Count; i++)
        {
            var kind = statement.Tokens[i].Kind;
            if (kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.Comma && depth == 0)
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
