namespace ReferralOS.Cli;

/// <summary>
/// What the CLI reads from and writes to outside itself: the process's console, working directory and environment
/// variables, or a test's stand-ins for them.
/// </summary>
/// <param name="Out">Where results and progress go.</param>
/// <param name="Error">Where errors go.</param>
/// <param name="WorkingDirectory">The folder the local PostgreSQL's data folder is created under.</param>
/// <param name="GetVariable">Reads an environment variable; null when it is not set.</param>
/// <param name="OutColour">Whether to colour <paramref name="Out"/>: only when it is a terminal.</param>
/// <param name="ErrorColour">Whether to colour <paramref name="Error"/>: only when it is a terminal.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, string WorkingDirectory, Func<string, string?> GetVariable, bool OutColour, bool ErrorColour)
{
    /// <summary>The environment variable holding the connection string used when <c>--connection</c> is not given.</summary>
    public const string DatabaseUrlVariable = "REFERRALOS_DATABASE_URL";

    /// <summary>The environment variable holding the environment used when <c>--environment</c> is not given.</summary>
    public const string EnvironmentVariable = "REFERRALOS_ENVIRONMENT";

    /// <summary>
    /// The environment variable naming the PostgreSQL bin folder for the embedded database, when the one found on
    /// PATH or in the usual install folders is not the one to use.
    /// </summary>
    public const string PostgresBinVariable = "REFERRALOS_POSTGRES_BIN";

    /// <summary>Whether Ctrl+C and SIGTERM cancel the running command (true for the real process).</summary>
    public bool HandlesTermination { get; init; }

    /// <summary>The process's own console and environment.</summary>
    /// <returns>The context of this process.</returns>
    public static CliContext FromProcess()
    {
        // https://no-color.org: any non-empty NO_COLOR turns colour off; so do a dumb terminal and redirected output.
        var colour = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        return new CliContext(
            Console.Out,
            Console.Error,
            Environment.CurrentDirectory,
            Environment.GetEnvironmentVariable,
            OutColour: colour && !Console.IsOutputRedirected,
            ErrorColour: colour && !Console.IsErrorRedirected)
        {
            HandlesTermination = true,
        };
    }
}
