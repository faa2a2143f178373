namespace ReferralOS.Sdk;

/// <summary>One statement of a script, with its place in the .sql file.</summary>
/// <param name="Sql">The statement text, its semicolon included.</param>
/// <param name="Line">One-based line of the statement in the file.</param>
/// <param name="Column">One-based column of the statement in the file.</param>
public sealed record SqlStatement(string Sql, int Line, int Column)
{
    /// <summary>The file line of a one-based character position inside the statement, as PostgreSQL reports errors.</summary>
    /// <param name="position">A one-based character position in <see cref="Sql"/>; 0 (no position reported) means the statement's first line.</param>
    /// <returns>The one-based line in the file.</returns>
    public int LineOf(int position)
    {
        var line = Line;
        for (var i = 0; i < Sql.Length && i < position - 1; i++)
        {
            if (Sql[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
