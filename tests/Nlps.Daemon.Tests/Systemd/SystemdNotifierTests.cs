using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Daemon.Systemd;
using Nlps.Daemon.Tests.Support;
using Nlps.Testing;

namespace Nlps.Daemon.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    [Fact]
    public void Ready_arrives_on_a_socket_given_by_absolute_path()
    {
        using var listener = NotifySocketListener.AtPath();
        var notifier = NotifierFor(listener.NotifySocket);

        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.NotifyReady());
        Assert.Equal("READY=1", listener.Receive());
    }

    [Fact]
    public void Ready_arrives_on_an_abstract_socket_given_as_at_name()
    {
        using var listener = NotifySocketListener.Abstract();
        var notifier = NotifierFor(listener.NotifySocket);

        Assert.True(notifier.NotifyReady());
        Assert.Equal("READY=1", listener.Receive());
    }

    [Fact]
    public void Korean_status_text_arrives_intact_as_utf8()
    {
        using var listener = NotifySocketListener.AtPath();
        var notifier = NotifierFor(listener.NotifySocket);

        notifier.NotifyStatus("모델 적재 중: qwen2-7b (GPU 0, 48 GB)");

        Assert.Equal("STATUS=모델 적재 중: qwen2-7b (GPU 0, 48 GB)", listener.Receive());
    }

    [Fact]
    public void A_multi_line_status_is_sent_as_one_line()
    {
        using var listener = NotifySocketListener.AtPath();
        var notifier = NotifierFor(listener.NotifySocket);

        notifier.NotifyStatus("loading\nREADY=1");

        Assert.Equal("STATUS=loading READY=1", listener.Receive());
    }

    [Fact]
    public void Stopping_watchdog_and_raw_states_arrive_in_order()
    {
        using var listener = NotifySocketListener.AtPath();
        var notifier = NotifierFor(listener.NotifySocket);

        notifier.NotifyWatchdog();
        notifier.Notify("RELOADING=1\nMONOTONIC_USEC=42");
        notifier.NotifyStopping();

        Assert.Equal("WATCHDOG=1", listener.Receive());
        Assert.Equal("RELOADING=1\nMONOTONIC_USEC=42", listener.Receive());
        Assert.Equal("STOPPING=1", listener.Receive());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_notify_socket_it_is_disabled_and_sends_nothing(string? notifySocket)
    {
        var notifier = NotifierFor(notifySocket);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.NotifyReady());
        Assert.False(notifier.NotifyStatus("상태"));
    }

    [Theory]
    [InlineData("relative/notify.sock")]
    [InlineData("vsock:2:1234")]
    public void A_notify_socket_that_is_neither_a_path_nor_an_abstract_name_disables_it(string notifySocket)
    {
        var logger = new RecordingLogger<SystemdNotifier>();
        var notifier = new SystemdNotifier(new SystemdEnvironment { NotifySocket = notifySocket }, logger);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.NotifyReady());
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(notifySocket, StringComparison.Ordinal));
    }

    [Fact]
    public void A_socket_path_that_does_not_exist_logs_a_warning_instead_of_throwing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "nlps-missing-" + Guid.NewGuid().ToString("N"), "notify.sock");
        var logger = new RecordingLogger<SystemdNotifier>();
        var notifier = new SystemdNotifier(new SystemdEnvironment { NotifySocket = missing }, logger);

        Assert.True(notifier.IsEnabled);
        Assert.False(notifier.NotifyReady());

        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(2001, warning.EventId.Id);
        Assert.Contains(missing, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_datagram_is_exactly_the_utf8_bytes_of_the_state()
    {
        using var listener = NotifySocketListener.AtPath();
        var notifier = NotifierFor(listener.NotifySocket);

        notifier.NotifyStatus("한");

        Assert.Equal(Encoding.UTF8.GetByteCount("STATUS=한"), listener.PendingBytes);
    }

    private static SystemdNotifier NotifierFor(string? notifySocket) =>
        new(new SystemdEnvironment { NotifySocket = notifySocket }, NullLogger<SystemdNotifier>.Instance);
}
