using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// The value of a <c>Lock-Timeout:</c> or <c>Statement-Timeout:</c> directive: a <see cref="Duration"/> (the grammar the
/// CLI's <c>--lock-wait</c> reads too) of at least 1ms, since a timeout of 0 is none at all.
/// </summary>
internal static class TimeoutDirective
{
    /// <summary>
    /// Whether a time setting in the SQL (<c>SET lock_timeout = …</c>) is zero, which PostgreSQL reads as no timeout at
    /// all (pg_dump writes lock_timeout = 0). PostgreSQL reads a bare number as milliseconds, so any bare number but 0
    /// is a timeout, even where the header grammar would refuse it.
    /// </summary>
    public static bool IsZero(string value) => Duration.TryParse(value, out var duration, out _) && duration == TimeSpan.Zero;

    /// <summary>Reads a directive's value.</summary>
    /// <param name="value">The value as written.</param>
    /// <param name="milliseconds">The timeout in whole milliseconds.</param>
    /// <param name="problem">When the value is not a timeout, what to write instead (the reason of ROS0011); else empty.</param>
    /// <returns>Whether the value is a timeout.</returns>
    public static bool TryParse(string value, out long milliseconds, out string problem)
    {
        milliseconds = 0;
        if (!Duration.TryParse(value, out var duration, out problem))
        {
            return false;
        }

        if (duration < TimeSpan.FromMilliseconds(1))
        {
            problem = "a timeout is at least 1ms (0 would turn it off); write the longest the statement may wait, e.g. 5s or 15min";
            return false;
        }

        milliseconds = (long)duration.TotalMilliseconds;
        return true;
    }
}
