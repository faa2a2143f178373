using System.Globalization;

namespace ReferralOS.Sdk.Shared;

/// <summary>
/// The one duration grammar, for a migration's <c>-- Lock-Timeout:</c> and <c>-- Statement-Timeout:</c> headers and
/// the CLI's <c>--lock-wait</c> alike: PostgreSQL's time units — a number (a fraction allowed), optional blanks, and
/// one of <c>us</c>, <c>ms</c>, <c>s</c>, <c>min</c>, <c>h</c>, <c>d</c>, in lower case as PostgreSQL spells them
/// (<c>500ms</c>, <c>5s</c>, <c>1.5 min</c>, <c>1h</c>) — or a bare <c>0</c> for none. A bare number other than 0 is
/// refused: PostgreSQL reads it as milliseconds where people read it as seconds, so the same text would mean two
/// times. A duration is rounded to the millisecond (the unit of <c>lock_timeout</c> and <c>statement_timeout</c>)
/// and is at most PostgreSQL's longest time setting, 2147483647ms. Compiled from this one file wherever durations are read.
/// </summary>
internal static class Duration
{
    /// <summary>The longest duration: PostgreSQL's longest time setting (INT_MAX milliseconds, about 24.8 days).</summary>
    public const long MaxMilliseconds = int.MaxValue;

    private const string Grammar = "write a number and a unit — us, ms, s, min, h or d, e.g. 500ms, 5s or 15min — or 0 for none";

    /// <summary>The units, shortest first, each with its length in milliseconds.</summary>
    private static readonly (string Name, double Milliseconds)[] Units =
    [
        ("us", 0.001),
        ("ms", 1),
        ("s", 1_000),
        ("min", 60_000),
        ("h", 3_600_000),
        ("d", 86_400_000),
    ];

    /// <summary>Reads a duration.</summary>
    /// <param name="text">The text as written; blanks around it do not matter.</param>
    /// <param name="value">The duration, rounded to the millisecond; zero when the text is not one.</param>
    /// <param name="problem">When the text is not a duration, what is wrong and what to write, as a clause that follows "is not a duration: "; else empty.</param>
    /// <returns>Whether the text is a duration.</returns>
    public static bool TryParse(string text, out TimeSpan value, out string problem)
    {
        value = TimeSpan.Zero;
        var trimmed = text.Trim();
        var digits = 0;
        var point = false;
        while (digits < trimmed.Length && (trimmed[digits] is >= '0' and <= '9' || (trimmed[digits] == '.' && !point)))
        {
            point |= trimmed[digits] == '.';
            digits++;
        }

        var number = trimmed.Substring(0, digits);
        if (number.Length == 0 || number[0] == '.' || number[number.Length - 1] == '.'
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            problem = Grammar;
            return false;
        }

        var unit = trimmed.Substring(digits).TrimStart(' ', '\t');
        if (unit.Length == 0)
        {
            if (amount == 0)
            {
                problem = string.Empty;
                return true;
            }

            problem = $"a number without a unit is milliseconds to PostgreSQL but seconds to most readers, so the unit is required: write {number}s for seconds or {number}ms for milliseconds";
            return false;
        }

        var milliseconds = Array.Find(Units, u => u.Name == unit).Milliseconds;
        if (milliseconds == 0)
        {
            problem = $"'{unit}' is not a unit; {Grammar}";
            return false;
        }

        var total = Math.Round(amount * milliseconds);
        if (total > MaxMilliseconds)
        {
            problem = $"it is longer than {MaxMilliseconds}ms (about 24.8 days), PostgreSQL's longest time setting";
            return false;
        }

        value = TimeSpan.FromMilliseconds(total);
        problem = string.Empty;
        return true;
    }

    /// <summary>A duration as this grammar writes it: whole milliseconds in the largest unit that keeps them whole (<c>10min</c>, <c>1500ms</c>, <c>0</c>).</summary>
    /// <param name="value">A duration of whole milliseconds.</param>
    /// <returns>The text, which <see cref="TryParse"/> reads back as the same duration.</returns>
    public static string Format(TimeSpan value)
    {
        var milliseconds = (long)Math.Round(value.TotalMilliseconds);
        if (milliseconds == 0)
        {
            return "0";
        }

        for (var i = Units.Length - 1; i > 1; i--)
        {
            var size = (long)Units[i].Milliseconds;
            if (milliseconds % size == 0)
            {
                return (milliseconds / size).ToString(CultureInfo.InvariantCulture) + Units[i].Name;
            }
        }

        return milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
