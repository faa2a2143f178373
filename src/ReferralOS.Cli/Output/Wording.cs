using System.Globalization;

namespace ReferralOS.Cli.Output;

/// <summary>Numbers as a person reads them: <c>14 ms</c>, <c>1.42 s</c>, <c>1 migration</c>, <c>3 seeds</c>.</summary>
internal static class Wording
{
    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s"),
    };

    public static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : noun.EndsWith('x') || noun.EndsWith('s') ? "es" : "s")}");
}
