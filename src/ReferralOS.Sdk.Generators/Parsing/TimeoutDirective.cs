using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// The value of a <c>Lock-Timeout:</c> or <c>Statement-Timeout:</c> directive, in PostgreSQL's own syntax for
/// time settings: a number with an optional unit (us, ms, s, min, h, d; milliseconds when none), e.g. 5s or 15min.
/// </summary>
internal static class TimeoutDirective
{
    private static readonly Regex Grammar = new(@"^(?<amount>[0-9]+(?:\.[0-9]+)?)[ \t]*(?<unit>us|ms|s|min|h|d)?$", RegexOptions.CultureInvariant);

    /// <summary>Whether a time setting is zero, which PostgreSQL reads as no timeout at all (pg_dump writes lock_timeout = 0).</summary>
    public static bool IsZero(string value)
    {
        var match = Grammar.Match(value.Trim());
        return match.Success && double.Parse(match.Groups["amount"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) == 0;
    }

    public static bool TryParse(string value, out long milliseconds)
    {
        milliseconds = 0;
        var match = Grammar.Match(value.Trim());
        if (!match.Success)
        {
            return false;
        }

        var amount = double.Parse(match.Groups["amount"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var factor = match.Groups["unit"].Value switch
        {
            "us" => 0.001,
            "s" => 1_000d,
            "min" => 60_000d,
            "h" => 3_600_000d,
            "d" => 86_400_000d,
            _ => 1d,
        };
        var total = amount * factor;
        if (total < 1 || total > int.MaxValue)
        {
            return false;
        }

        milliseconds = (long)Math.Round(total);
        return true;
    }
}
