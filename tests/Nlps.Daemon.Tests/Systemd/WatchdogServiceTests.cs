using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Daemon.Systemd;
using Nlps.Testing;

namespace Nlps.Daemon.Tests.Systemd;

public sealed class WatchdogServiceTests : IDisposable
{
    private const int OurProcessId = 4242;

    // Only a guard against a hung test; the tests wait for events, not for time.
    private static readonly TimeSpan FailureGuard = TimeSpan.FromSeconds(10);

    private readonly NotifySocketListener listener = NotifySocketListener.AtPath();
    private readonly FakeTimeProvider time = new();

    public void Dispose() => listener.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task Exactly_one_keep_alive_arrives_per_half_interval(int halfIntervals)
    {
        using var service = ServiceFor(new SystemdEnvironment
        {
            NotifySocket = listener.NotifySocket,
            WatchdogMicroseconds = "30000000",
            ProcessId = OurProcessId,
        });
        Assert.Equal(TimeSpan.FromSeconds(15), service.Period);

        await service.StartAsync(CancellationToken.None);
        await time.TimerCreated.WaitAsync(FailureGuard);

        time.Advance(TimeSpan.FromSeconds(14.999));
        Assert.Equal(0, listener.PendingBytes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("WATCHDOG=1", listener.Receive());

        for (var i = 1; i < halfIntervals; i++)
        {
            time.Advance(TimeSpan.FromSeconds(15));
            Assert.Equal("WATCHDOG=1", listener.Receive());
        }

        await service.StopAsync(CancellationToken.None);

        // The loop has ended, so every datagram it sent is already queued on the socket.
        Assert.Equal(0, listener.PendingBytes);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public async Task A_watchdog_pid_equal_to_ours_feeds_the_watchdog()
    {
        using var service = ServiceFor(new SystemdEnvironment
        {
            NotifySocket = listener.NotifySocket,
            WatchdogMicroseconds = "2000000",
            WatchdogProcessId = "4242",
            ProcessId = OurProcessId,
        });

        await service.StartAsync(CancellationToken.None);
        await time.TimerCreated.WaitAsync(FailureGuard);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("WATCHDOG=1", listener.Receive());
        await service.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("30000000", "1")]
    [InlineData("not-a-number", null)]
    [InlineData("0", null)]
    [InlineData("-30000000", null)]
    public async Task Without_a_usable_watchdog_interval_for_this_process_it_does_nothing(string? watchdogMicroseconds, string? watchdogPid)
    {
        using var service = ServiceFor(new SystemdEnvironment
        {
            NotifySocket = listener.NotifySocket,
            WatchdogMicroseconds = watchdogMicroseconds,
            WatchdogProcessId = watchdogPid,
            ProcessId = OurProcessId,
        });

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(FailureGuard);
        time.Advance(TimeSpan.FromDays(1));

        Assert.Null(service.Period);
        Assert.False(time.TimerCreated.IsCompleted);
        Assert.Equal(0, listener.PendingBytes);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Without_a_notify_socket_the_watchdog_interval_is_ignored()
    {
        using var service = ServiceFor(new SystemdEnvironment { WatchdogMicroseconds = "30000000", ProcessId = OurProcessId });

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(FailureGuard);

        Assert.Null(service.Period);
        Assert.False(time.TimerCreated.IsCompleted);
    }

    [Fact]
    public void A_very_short_interval_is_clamped_to_one_millisecond()
    {
        using var service = ServiceFor(new SystemdEnvironment
        {
            NotifySocket = listener.NotifySocket,
            WatchdogMicroseconds = "500",
            ProcessId = OurProcessId,
        });

        Assert.Equal(TimeSpan.FromMilliseconds(1), service.Period);
    }

    private WatchdogService ServiceFor(SystemdEnvironment environment) => new(
        new SystemdNotifier(environment, NullLogger<SystemdNotifier>.Instance),
        environment,
        time,
        NullLogger<WatchdogService>.Instance);
}
