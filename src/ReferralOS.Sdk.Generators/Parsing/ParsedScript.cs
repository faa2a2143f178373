using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// The statements of one script (a migration's Up section, a seed's body) with their DDL shapes, and the way
/// from a token back to its line and span in the .sql file. Each statement is read under the search path the
/// statements before it set, and the objects a CREATE SCHEMA creates follow it as statements of their own.
/// </summary>
internal sealed class ParsedScript
{
    private readonly SqlSource _source;
    private readonly int _offset;

    /// <param name="source">The whole file.</param>
    /// <param name="offset">Where the script starts in the file's normalised text.</param>
    /// <param name="statements">The script's statements, split from the text that starts there.</param>
    public ParsedScript(SqlSource source, int offset, IReadOnlyList<SqlStatement> statements)
    {
        _source = source;
        _offset = offset;
        var parsed = new List<DdlStatement>(statements.Count);
        var path = SearchPath.Default;
        foreach (var statement in statements)
        {
            var ddl = DdlParser.Parse(statement, path);
            parsed.Add(ddl);
            switch (ddl)
            {
                case CreateSchemaStatement schema:
                    parsed.AddRange(schema.Elements);
                    break;
                case SetStatement { Setting: "search_path" } set:
                    path = set.ToDefault ? SearchPath.Default : new SearchPath(set.Values.ToEquatableArray());
                    break;
            }
        }

        Statements = parsed;
    }

    public IReadOnlyList<DdlStatement> Statements { get; }

    public LocationInfo Locate(SqlStatement statement, TokenRange range)
    {
        var last = Math.Min(range.Last, statement.Tokens.Count - 1);
        var first = Math.Min(range.First, last);
        return _source.Locate(_offset + statement.Tokens[first].Start, _offset + statement.Tokens[last].End);
    }

    public LocationInfo Locate(SqlToken token) => _source.Locate(_offset + token.Start, _offset + token.End);
}
