namespace ReferralOS.Cli.Output;

/// <summary>
/// Everything a command prints goes through here: results and progress to standard output, errors to standard
/// error, coloured only on a terminal, and with every known secret (the connection's password) masked, so that
/// no message, however it was built, prints a password.
/// </summary>
internal sealed class CliOutput
{
    private readonly CliContext _context;
    private readonly List<string> _secrets = [];

    public CliOutput(CliContext context, bool documentToOut = false)
    {
        _context = context;
        DocumentToOut = documentToOut;
    }

    /// <summary>
    /// True when standard output carries a document — JSON, or a dry run's SQL — and every human line goes to
    /// standard error, so that <c>status --json | jq</c> reads JSON and <c>migrate --dry-run &gt; plan.sql</c> SQL.
    /// </summary>
    public bool DocumentToOut { get; }

    /// <summary>Masks a secret in everything printed from now on.</summary>
    /// <param name="secret">A password or similar; ignored when empty.</param>
    public void Mask(string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            _secrets.Add(secret);
        }
    }

    /// <summary>A plain line of progress or information.</summary>
    public void Line(string text = "") => WriteHuman(text, null);

    /// <summary>A line of detail, dimmed on a terminal.</summary>
    public void Detail(string text) => WriteHuman(text, Ansi.Dim);

    /// <summary>A line of warning, yellow on a terminal.</summary>
    public void Warning(string text) => WriteHuman(text, Ansi.Yellow);

    /// <summary>The closing summary of a command that succeeded, green on a terminal.</summary>
    public void Summary(string text) => WriteHuman(text, Ansi.Green);

    /// <summary>A heading, bold on a terminal.</summary>
    public void Heading(string text) => WriteHuman(text, Ansi.Bold);

    /// <summary>The closing line of a command that failed, on standard error, red on a terminal.</summary>
    public void Failure(string text) => Write(_context.Error, _context.ErrorColour, "error: " + text, Ansi.Red);

    /// <summary>A document (JSON, SQL) on standard output.</summary>
    public void Document(string text) => _context.Out.WriteLine(Masked(text));

    private void WriteHuman(string text, string? colour)
    {
        if (DocumentToOut)
        {
            Write(_context.Error, _context.ErrorColour, text, colour);
        }
        else
        {
            Write(_context.Out, _context.OutColour, text, colour);
        }
    }

    private void Write(TextWriter writer, bool useColour, string text, string? colour)
    {
        text = Masked(text);
        writer.WriteLine(useColour && colour is not null && text.Length > 0 ? colour + text + Ansi.Reset : text);
    }

    private string Masked(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
