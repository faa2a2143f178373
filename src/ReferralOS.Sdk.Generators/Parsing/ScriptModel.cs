using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>One statement of a script: its span in the script text and its one-based line and column in the file.</summary>
internal sealed record StatementModel(int Start, int Length, int Line, int Column);

/// <summary>A runnable SQL script (a migration's Up or Down section, a seed's body) and its statements.</summary>
internal sealed record ScriptModel(string Text, EquatableArray<StatementModel> Statements)
{
    public static readonly ScriptModel Empty = new(string.Empty, EquatableArray<StatementModel>.Empty);

    /// <summary>
    /// Splits <paramref name="text"/> into statements; <paramref name="toFilePosition"/> maps a zero-based
    /// (line, column) in the script to the zero-based (line, column) in the file.
    /// </summary>
    public static ScriptModel Create(string text, IReadOnlyList<SqlStatement> statements, Func<int, int, (int Line, int Column)> toFilePosition)
    {
        var lines = new LineMap(text);
        var models = new List<StatementModel>(statements.Count);
        foreach (var statement in statements)
        {
            var (line, column) = lines.Position(statement.Start);
            var (fileLine, fileColumn) = toFilePosition(line, column);
            models.Add(new StatementModel(statement.Start, statement.End - statement.Start, fileLine + 1, fileColumn + 1));
        }

        return new ScriptModel(text, models.ToEquatableArray());
    }
}
