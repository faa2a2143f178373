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

    public CliOutput(CliContext context, bool jsonToOut = false)
    {
        _context = context;
        JsonToOut = jsonToOut;
    }

    /// <summary>
    /// True when standard output carries a JSON document: then every human line goes to standard error, so that
    /// <c>referralos-db status --json | jq</c> reads JSON and nothing else.
    /// </summary>
    public bool JsonToOut { get; }

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

    /// <summary>A JSON document on standard output.</summary>
    public void Json(string json) => _context.Out.WriteLine(Masked(json));

    private void WriteHuman(string text, string? colour)
    {
        if (JsonToOut)
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
