namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>Identifier folding as PostgreSQL does it: unquoted names fold to lower case, quoted ones are kept.</summary>
internal static class SqlIdentifier
{
    public static string Normalize(string source, SqlToken token)
    {
        var text = token.Text(source);
        if (token.Kind != SqlTokenKind.QuotedIdentifier)
        {
            return text.ToLowerInvariant();
        }

        var body = text.StartsWith("U&", StringComparison.OrdinalIgnoreCase) ? text.Substring(2) : text;
        body = body.Length >= 2 && body[body.Length - 1] == '"' ? body.Substring(1, body.Length - 2) : body.Substring(1);
        return body.Replace("\"\"", "\"");
    }

    public static bool IsName(SqlToken token) => token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    /// <summary>
    /// Reads a possibly schema-qualified name starting at <paramref name="index"/> and returns its last part
    /// (the object name), advancing <paramref name="index"/> past it.
    /// </summary>
    public static string? ReadQualifiedName(SqlStatement statement, ref int index) => ReadQualifiedName(statement, ref index, out _);

    /// <summary>
    /// Reads a possibly qualified name (<c>name</c>, <c>schema.name</c>, <c>database.schema.name</c>) starting at
    /// <paramref name="index"/>: returns the object name and gives the schema, null when the name is not qualified.
    /// </summary>
    public static string? ReadQualifiedName(SqlStatement statement, ref int index, out string? schema)
    {
        schema = null;
        var tokens = statement.Tokens;
        if (index >= tokens.Count || !IsName(tokens[index]))
        {
            return null;
        }

        var name = Normalize(statement.Source, tokens[index]);
        index++;
        while (index + 1 < tokens.Count && tokens[index].Kind == SqlTokenKind.Dot && IsName(tokens[index + 1]))
        {
            schema = name;
            name = Normalize(statement.Source, tokens[index + 1]);
            index += 2;
        }

        return name;
    }
}
