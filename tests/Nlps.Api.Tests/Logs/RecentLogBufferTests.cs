using Microsoft.Extensions.Logging;
using Nlps.Api.Logs;

namespace Nlps.Api.Tests.Logs;

public sealed class RecentLogBufferTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_full_buffer_keeps_the_newest_lines_in_order_and_ids_keep_counting()
    {
        var buffer = new RecentLogBuffer(capacity: 3);
        for (int i = 1; i <= 5; i++)
        {
            buffer.Add(At, LogLevel.Information, "c", null, $"line {i}", null);
        }

        var lines = buffer.Read(0, LogLevel.Information, null, 10);

        Assert.Equal(["line 3", "line 4", "line 5"], lines.Select(l => l.Message));
        Assert.Equal([3L, 4L, 5L], lines.Select(l => l.Id));
    }

    [Fact]
    public void Reading_after_an_id_level_and_text_filters_and_limit_keeps_the_newest()
    {
        var buffer = new RecentLogBuffer();
        buffer.Add(At, LogLevel.Information, "Nlps.Plugins", "Installed", "플러그인 설치됨", null);
        buffer.Add(At, LogLevel.Warning, "Nlps.Models", "Refused", "모델 거절", null);
        buffer.Add(At, LogLevel.Error, "Nlps.Plugins", "Faulted", "플러그인 장애", "System.InvalidOperationException: boom");
        buffer.Add(At, LogLevel.Warning, "Nlps.Plugins", "Slow", "느림", null);

        Assert.Equal(["모델 거절", "플러그인 장애", "느림"], buffer.Read(0, LogLevel.Warning, null, 10).Select(l => l.Message));
        Assert.Equal(["플러그인 장애", "느림"], buffer.Read(0, LogLevel.Warning, "nlps.plugins", 10).Select(l => l.Message));
        Assert.Equal(["느림"], buffer.Read(3, LogLevel.Debug, null, 10).Select(l => l.Message));
        Assert.Equal(["느림"], buffer.Read(0, LogLevel.Debug, null, 1).Select(l => l.Message));
        Assert.Equal(["플러그인 설치됨", "플러그인 장애"], buffer.Read(0, LogLevel.Debug, "플러그인", 10).Select(l => l.Message));
    }

    [Fact]
    public void An_empty_buffer_reads_nothing() =>
        Assert.Empty(new RecentLogBuffer().Read(0, LogLevel.Debug, null, 5));
}
