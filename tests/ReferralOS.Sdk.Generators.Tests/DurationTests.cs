using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The one duration grammar (<see cref="Duration"/>), which headers and the CLI's <c>--lock-wait</c> share:
/// PostgreSQL's time units, with the unit written out.
/// </summary>
public sealed class DurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0ms", 0)]
    [InlineData("1500us", 2)]
    [InlineData("1ms", 1)]
    [InlineData("250ms", 250)]
    [InlineData("0.5s", 500)]
    [InlineData("5s", 5_000)]
    [InlineData(" 5 s ", 5_000)]
    [InlineData("5\ts", 5_000)]
    [InlineData("1.5min", 90_000)]
    [InlineData("15min", 900_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("2147483647ms", 2_147_483_647)]
    public void A_number_and_a_unit_is_a_duration_rounded_to_the_millisecond(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("5", "write 5s for seconds or 5ms for milliseconds")]
    [InlineData("5000", "write 5000s for seconds or 5000ms for milliseconds")]
    [InlineData("1.5", "write 1.5s for seconds or 1.5ms for milliseconds")]
    public void A_bare_number_other_than_zero_is_refused_with_a_message_that_asks_for_the_unit(string text, string advice)
    {
        Assert.False(Duration.TryParse(text, out _, out var problem));
        Assert.Contains("milliseconds to PostgreSQL but seconds to most readers", problem, StringComparison.Ordinal);
        Assert.EndsWith(advice, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("five seconds")]
    [InlineData("5S")]
    [InlineData("5sec")]
    [InlineData("5 minutes")]
    [InlineData("-5s")]
    [InlineData("1e3ms")]
    [InlineData("1..5s")]
    [InlineData(".5s")]
    [InlineData("5.s")]
    [InlineData("2147483648ms")]
    [InlineData("25d")]
    public void Anything_else_is_refused(string text) => Assert.False(Duration.TryParse(text, out _, out _));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "1ms")]
    [InlineData(1_500, "1500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(600_000, "10min")]
    [InlineData(7_200_000, "2h")]
    [InlineData(172_800_000, "2d")]
    public void Format_writes_the_largest_whole_unit_and_reads_back_as_the_same_duration(long milliseconds, string text)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(text, Duration.Format(duration));
        Assert.True(Duration.TryParse(Duration.Format(duration), out var back, out _));
        Assert.Equal(duration, back);
    }

    [Theory]
    [InlineData("5000")]
    [InlineData("5s")]
    [InlineData("0")]
    public void A_setting_in_the_sql_is_zero_only_when_postgresql_reads_it_as_zero(string value)
    {
        // SET lock_timeout = 5000 is 5 s to PostgreSQL: a timeout, though a header refuses the bare number.
        Assert.Equal(value == "0", Parsing.TimeoutDirective.IsZero(value));
    }
}
