using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// One .sql file as the parser read it: the facts later stages keep (<see cref="Model"/>), and what the rules that
/// need this file alone look at — its text, header, section markers, scripts and opt-out comments. It lives only
/// inside the per-file step: it holds tokens and statements, which are not value-equatable.
/// </summary>
internal sealed class ParsedFile
{
    public ParsedFile(SqlInput input, SqlSource source, FileHeader header, SqlFileModel model)
    {
        Input = input;
        Source = source;
        Header = header;
        Model = model;
    }

    public SqlInput Input { get; }

    public SqlSource Source { get; }

    public FileHeader Header { get; }

    public SqlFileModel Model { get; }

    /// <summary>The zero-based line of a migration's <c>-- Up Migration</c> marker; null when it has none.</summary>
    public int? UpMarkerLine { get; init; }

    /// <summary>The zero-based line of a migration's <c>-- Down Migration</c> marker; null when it has none.</summary>
    public int? DownMarkerLine { get; init; }

    /// <summary>A migration's Up section, or a seed's body; null for a file that could not be read.</summary>
    public ScriptSection? Up { get; init; }

    /// <summary>A migration's Down section with its comment markers removed; null when it has none.</summary>
    public ScriptSection? Down { get; init; }

    /// <summary>The statements of <see cref="Up"/> read as DDL; null for a file that could not be read.</summary>
    public ParsedScript? Script { get; init; }

    /// <summary>The <c>-- referralos:allow</c> comments above the statements of <see cref="Script"/>.</summary>
    public IReadOnlyList<OptOutComment> OptOuts { get; init; } = Array.Empty<OptOutComment>();
}

/// <summary>A runnable script of a file (an Up or Down section, a seed's body): its text, tokens and statements.</summary>
internal sealed class ScriptSection
{
    private readonly Func<int, int, LocationInfo> _locate;

    /// <param name="name">What the script is, as a message names it: "Up section", "Down section", "seed".</param>
    /// <param name="text">The script's text.</param>
    /// <param name="tokens">Every token of <paramref name="text"/>.</param>
    /// <param name="statements">The statements split from those tokens.</param>
    /// <param name="locate">Where characters of the script (start, end) stand in the file.</param>
    public ScriptSection(string name, string text, IReadOnlyList<SqlToken> tokens, IReadOnlyList<SqlStatement> statements, Func<int, int, LocationInfo> locate)
    {
        Name = name;
        Text = text;
        Tokens = tokens;
        Statements = statements;
        _locate = locate;
    }

    public string Name { get; }

    public string Text { get; }

    public IReadOnlyList<SqlToken> Tokens { get; }

    public IReadOnlyList<SqlStatement> Statements { get; }

    /// <summary>Where the characters from <paramref name="start"/> to <paramref name="end"/> of <see cref="Text"/> stand in the file.</summary>
    public LocationInfo Locate(int start, int end) => _locate(start, end);
}
