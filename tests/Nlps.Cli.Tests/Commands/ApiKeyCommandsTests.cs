using Nlps.Cli.Client;
using Nlps.Cli.Commands;

namespace Nlps.Cli.Tests.Commands;

public sealed class ApiKeyCommandsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    public void Relative_expiries_count_from_now(string text, int minutes) =>
        Assert.Equal(Now.AddMinutes(minutes), ApiKeyCommands.ParseExpiry(text, Now));

    [Fact]
    public void An_absolute_expiry_without_an_offset_is_utc() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), ApiKeyCommands.ParseExpiry("2026-01-01T00:00:00", Now));

    [Fact]
    public void No_expiry_means_never() => Assert.Null(ApiKeyCommands.ParseExpiry(null, Now));

    [Theory]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("soon")]
    [InlineData("30x")]
    public void A_bad_expiry_is_refused_with_a_clear_error(string text)
    {
        var error = Assert.Throws<AdminApiException>(() => ApiKeyCommands.ParseExpiry(text, Now));

        Assert.Equal("invalid_expiry", error.Code);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }
}
