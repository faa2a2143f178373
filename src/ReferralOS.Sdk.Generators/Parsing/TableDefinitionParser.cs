using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads the columns a statement creates: <c>CREATE TABLE … (column type …)</c> and
/// <c>ALTER TABLE … ADD [COLUMN] column type …</c>. Anything else creates no columns.
/// </summary>
internal static class TableDefinitionParser
{
    private static readonly HashSet<string> ColumnConstraintWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT", "GENERATED", "COLLATE", "COMPRESSION", "STORAGE",
    };

    private static readonly HashSet<string> TableConstraintWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE",
    };

    public static TableChange? Parse(SqlStatement statement)
    {
        if (!statement.IsWord(0, "CREATE") && !statement.IsWord(0, "ALTER"))
        {
            return null;
        }

        return statement.IsWord(0, "CREATE") ? ParseCreateTable(statement) : ParseAlterTable(statement);
    }

    private static TableChange? ParseCreateTable(SqlStatement statement)
    {
        var index = 1;
        while (statement.IsWord(index, "GLOBAL") || statement.IsWord(index, "LOCAL") || statement.IsWord(index, "TEMP") ||
               statement.IsWord(index, "TEMPORARY") || statement.IsWord(index, "UNLOGGED"))
        {
            index++;
        }

        if (!statement.IsWord(index, "TABLE"))
        {
            return null;
        }

        index++;
        if (statement.IsWord(index, "IF") && statement.IsWord(index + 1, "NOT") && statement.IsWord(index + 2, "EXISTS"))
        {
            index += 3;
        }

        var table = SqlIdentifier.ReadQualifiedName(statement, ref index);
        if (table is null || index >= statement.Tokens.Count || statement.Tokens[index].Kind != SqlTokenKind.OpenParen)
        {
            return null;
        }

        var columns = new List<ColumnDefinition>();
        foreach (var element in SplitTopLevel(statement, index + 1, SqlTokenKind.Comma, stopAtClose: true))
        {
            if (element.Count > 0 && !(statement.Tokens[element[0]].Kind == SqlTokenKind.Word && TableConstraintWords.Contains(statement.TokenText(element[0]))))
            {
                var column = ReadColumn(statement, element, 0);
                if (column is not null)
                {
                    columns.Add(column);
                }
            }
        }

        return new TableChange(table, CreatesTable: true, columns.ToEquatableArray());
    }

    private static TableChange? ParseAlterTable(SqlStatement statement)
    {
        if (!statement.IsWord(1, "TABLE"))
        {
            return null;
        }

        var index = 2;
        if (statement.IsWord(index, "IF") && statement.IsWord(index + 1, "EXISTS"))
        {
            index += 2;
        }

        if (statement.IsWord(index, "ONLY"))
        {
            index++;
        }

        var table = SqlIdentifier.ReadQualifiedName(statement, ref index);
        if (table is null)
        {
            return null;
        }

        var columns = new List<ColumnDefinition>();
        foreach (var action in SplitTopLevel(statement, index, SqlTokenKind.Comma, stopAtClose: false))
        {
            if (action.Count < 2 || !statement.IsWord(action[0], "ADD"))
            {
                continue;
            }

            var position = 1;
            if (statement.IsWord(action[position], "COLUMN"))
            {
                position++;
            }
            else if (statement.Tokens[action[position]].Kind == SqlTokenKind.Word && TableConstraintWords.Contains(statement.TokenText(action[position])))
            {
                continue;
            }

            if (position + 2 < action.Count && statement.IsWord(action[position], "IF") && statement.IsWord(action[position + 1], "NOT") && statement.IsWord(action[position + 2], "EXISTS"))
            {
                position += 3;
            }

            var column = ReadColumn(statement, action, position);
            if (column is not null)
            {
                columns.Add(column);
            }
        }

        return columns.Count == 0 ? null : new TableChange(table, CreatesTable: false, columns.ToEquatableArray());
    }

    /// <summary>Reads "name type [constraints]" from the token indexes of one element.</summary>
    private static ColumnDefinition? ReadColumn(SqlStatement statement, List<int> element, int position)
    {
        if (position >= element.Count || !SqlIdentifier.IsName(statement.Tokens[element[position]]))
        {
            return null;
        }

        var name = SqlIdentifier.Normalize(statement.Source, statement.Tokens[element[position]]);
        var type = new System.Text.StringBuilder();
        var depth = 0;
        for (var i = position + 1; i < element.Count; i++)
        {
            var token = statement.Tokens[element[i]];
            if (depth == 0 && token.Kind == SqlTokenKind.Word && ColumnConstraintWords.Contains(token.Text(statement.Source)))
            {
                break;
            }

            depth += token.Kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket ? 1 : token.Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket ? -1 : 0;
            var text = token.Kind == SqlTokenKind.Word ? token.Text(statement.Source).ToLowerInvariant() : token.Text(statement.Source);
            var glue = type.Length > 0 && token.Kind == SqlTokenKind.Word && type[type.Length - 1] is not '(' and not '.';
            type.Append(glue ? " " : string.Empty).Append(text);
        }

        return type.Length == 0 ? null : new ColumnDefinition(name, type.ToString());
    }

    /// <summary>
    /// Groups the token indexes from <paramref name="start"/> into elements separated by top-level
    /// <paramref name="separator"/>s; with <paramref name="stopAtClose"/>, stops at the parenthesis that closes the list.
    /// </summary>
    internal static List<List<int>> SplitTopLevel(SqlStatement statement, int start, SqlTokenKind separator, bool stopAtClose)
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
