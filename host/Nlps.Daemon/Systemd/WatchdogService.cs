using System.Globalization;

namespace Nlps.Daemon.Systemd;

/// <summary>
/// Keeps systemd's watchdog fed: when the unit sets <c>WatchdogSec=</c> (so <c>WATCHDOG_USEC</c> is set, for this
/// process) it sends <c>WATCHDOG=1</c> every half interval, as sd_watchdog_enabled(3) advises. Otherwise it does nothing.
/// </summary>
public sealed partial class WatchdogService : BackgroundService
{
    private static readonly TimeSpan ShortestPeriod = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(49);

    private readonly SystemdNotifier notifier;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<WatchdogService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="notifier">Sends the keep-alives.</param>
    /// <param name="environment">systemd's environment: <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>.</param>
    /// <param name="timeProvider">Times the keep-alives.</param>
    /// <param name="logger">The log.</param>
    public WatchdogService(SystemdNotifier notifier, SystemdEnvironment environment, TimeProvider timeProvider, ILogger<WatchdogService> logger)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.notifier = notifier;
        this.timeProvider = timeProvider;
        this.logger = logger;
        Period = notifier.IsEnabled ? ReadPeriod(environment, logger) : null;
    }

    /// <summary>How often <c>WATCHDOG=1</c> is sent (half the watchdog interval); null when the watchdog is off.</summary>
    public TimeSpan? Period { get; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Period is not { } period)
        {
            return;
        }

        Log.Started(logger, period.TotalMilliseconds);
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                notifier.NotifyWatchdog();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last keep-alive has been sent.
        }
    }

    private static TimeSpan? ReadPeriod(SystemdEnvironment environment, ILogger logger)
    {
        if (string.IsNullOrEmpty(environment.WatchdogMicroseconds))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(environment.WatchdogProcessId)
            && !string.Equals(environment.WatchdogProcessId, environment.ProcessId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            Log.MeantForAnotherProcess(logger, environment.WatchdogProcessId);
            return null;
        }

        if (!long.TryParse(environment.WatchdogMicroseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            Log.InvalidInterval(logger, environment.WatchdogMicroseconds);
            return null;
        }

        var half = TimeSpan.FromMicroseconds(microseconds / 2);
        return half < ShortestPeriod ? ShortestPeriod : half > LongestPeriod ? LongestPeriod : half;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, EventName = "SystemdWatchdogStarted", Level = LogLevel.Information,
            Message = "Feeding the systemd watchdog every {PeriodMs:F0} ms")]
        public static partial void Started(ILogger logger, double periodMs);

        [LoggerMessage(EventId = 2102, EventName = "SystemdWatchdogForAnotherProcess", Level = LogLevel.Information,
            Message = "WATCHDOG_PID {WatchdogPid} is another process; the watchdog is not fed from here")]
        public static partial void MeantForAnotherProcess(ILogger logger, string watchdogPid);

        [LoggerMessage(EventId = 2103, EventName = "SystemdWatchdogIntervalInvalid", Level = LogLevel.Warning,
            Message = "WATCHDOG_USEC {Value} is not a positive number of microseconds; the watchdog is not fed")]
        public static partial void InvalidInterval(ILogger logger, string value);
    }
}
