namespace ReferralOS.Cli.Explaining;

/// <summary>One finding on an explained statement: a lint diagnostic and whether the trace confirmed it, or a blocking lock no rule predicted.</summary>
/// <param name="Id">The diagnostic id (<c>ROS0109</c>); null for a lock no rule predicted.</param>
/// <param name="Status">
/// <c>confirmed</c> (the trace shows a lock that blocks reads or writes on a table that existed before the run),
/// <c>not-confirmed</c> (it shows none), <c>unpredicted</c> (such a lock, and no rule reported the statement),
/// <c>excused</c> (such a lock, on a statement a <c>-- referralos:allow</c> comment excuses) or
/// <c>exceeds-lock-timeout</c> (a lock that blocks writes is predicted to be held longer than the file's lock timeout).
/// </param>
/// <param name="Message">What was found, in words.</param>
internal sealed record ExplainFinding(string? Id, string Status, string Message)
{
    public const string Confirmed = "confirmed";
    public const string NotConfirmed = "not-confirmed";
    public const string Unpredicted = "unpredicted";
    public const string Excused = "excused";
    public const string ExceedsLockTimeout = "exceeds-lock-timeout";
}
