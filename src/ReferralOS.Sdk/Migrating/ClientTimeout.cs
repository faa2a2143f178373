using Npgsql;

namespace ReferralOS.Sdk.Migrating;

/// <summary>
/// The client-side limit on each command the runtime sends, in Npgsql's whole seconds (0 = none). Npgsql's own default
/// of 30 seconds would cancel any statement that runs longer, whatever the file's <c>-- Statement-Timeout:</c> says;
/// the server's <c>statement_timeout</c> is what bounds a statement, so the client waits for as long as the server may
/// run the command's statements, plus a grace for the answer to travel, and gives up only on a server or network that
/// stopped answering.
/// </summary>
internal static class ClientTimeout
{
    /// <summary>How much longer than the server's limit the client waits before it concludes the server stopped answering.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>The command timeout for <paramref name="statements"/> statements, each bounded by <paramref name="statementTimeout"/>.</summary>
    public static int Seconds(TimeSpan statementTimeout, int statements = 1)
    {
        var seconds = Math.Ceiling((statementTimeout.TotalSeconds * Math.Max(1, statements)) + Grace.TotalSeconds);
        return seconds >= int.MaxValue ? 0 : (int)seconds;
    }

    /// <summary>True when Npgsql gave up waiting (its command timeout), as opposed to a server error or a lost connection.</summary>
    public static bool Expired(Exception ex) => ex is NpgsqlException { InnerException: TimeoutException };
}
