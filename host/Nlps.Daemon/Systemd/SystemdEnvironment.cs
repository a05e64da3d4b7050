namespace Nlps.Daemon.Systemd;

/// <summary>
/// What systemd tells a service through its environment. Read once with <see cref="FromProcess"/>; tests build their own.
/// </summary>
public sealed record SystemdEnvironment
{
    /// <summary><c>NOTIFY_SOCKET</c>: an absolute socket path, or <c>@name</c> for an abstract socket; null outside systemd.</summary>
    public string? NotifySocket { get; init; }

    /// <summary><c>WATCHDOG_USEC</c>: the watchdog interval in microseconds; null when the unit has no <c>WatchdogSec=</c>.</summary>
    public string? WatchdogMicroseconds { get; init; }

    /// <summary><c>WATCHDOG_PID</c>: the process the watchdog is meant for; null means this one.</summary>
    public string? WatchdogProcessId { get; init; }

    /// <summary>This process's id, compared with <see cref="WatchdogProcessId"/>.</summary>
    public int ProcessId { get; init; }

    /// <summary>The values of this process.</summary>
    public static SystemdEnvironment FromProcess() => new()
    {
        NotifySocket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        WatchdogMicroseconds = Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        WatchdogProcessId = Environment.GetEnvironmentVariable("WATCHDOG_PID"),
        ProcessId = Environment.ProcessId,
    };
}
