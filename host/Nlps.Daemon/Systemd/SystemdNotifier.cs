using System.Net.Sockets;
using System.Text;

namespace Nlps.Daemon.Systemd;

/// <summary>
/// Speaks the sd_notify protocol: one datagram of <c>KEY=value</c> lines to the socket named by <c>NOTIFY_SOCKET</c>.
/// Outside systemd (no socket) it is disabled and sends nothing. A failed send is logged, never thrown: a broken
/// notify socket must not take the service down.
/// </summary>
public sealed partial class SystemdNotifier
{
    private readonly UnixDomainSocketEndPoint? endPoint;
    private readonly string? socketName;
    private readonly ILogger<SystemdNotifier> logger;

    /// <summary>Creates the notifier for the socket in <paramref name="environment"/>.</summary>
    /// <param name="environment">systemd's environment; <see cref="SystemdEnvironment.NotifySocket"/> is used.</param>
    /// <param name="logger">The log.</param>
    public SystemdNotifier(SystemdEnvironment environment, ILogger<SystemdNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;

        var socket = environment.NotifySocket;
        if (string.IsNullOrEmpty(socket))
        {
            return;
        }

        socketName = socket;
        endPoint = CreateEndPoint(socket, logger);
    }

    /// <summary>True when there is a notify socket to send to.</summary>
    public bool IsEnabled => endPoint is not null;

    /// <summary>Sends <paramref name="state"/> (one or more <c>KEY=value</c> lines); true when the datagram was sent.</summary>
    /// <param name="state">The state, e.g. <c>READY=1</c>.</param>
    public bool Notify(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        if (endPoint is null)
        {
            return false;
        }

        try
        {
            // A socket per message, as sd_notify does: nothing to keep alive or to share between threads.
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, endPoint);
            return true;
        }
        catch (SocketException ex)
        {
            Log.SendFailed(logger, socketName!, FirstLine(state), ex);
            return false;
        }
    }

    /// <summary>Tells systemd that start-up is finished (<c>READY=1</c>).</summary>
    public bool NotifyReady() => Notify("READY=1");

    /// <summary>Tells systemd that the service is shutting down (<c>STOPPING=1</c>).</summary>
    public bool NotifyStopping() => Notify("STOPPING=1");

    /// <summary>Sets the one-line status that <c>systemctl status</c> shows (<c>STATUS=...</c>).</summary>
    /// <param name="status">The text; line breaks become spaces, since each line of a message is one assignment.</param>
    public bool NotifyStatus(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return Notify("STATUS=" + status.ReplaceLineEndings(" "));
    }

    /// <summary>Tells the watchdog that the service is alive (<c>WATCHDOG=1</c>).</summary>
    public bool NotifyWatchdog() => Notify("WATCHDOG=1");

    private static UnixDomainSocketEndPoint? CreateEndPoint(string socket, ILogger logger)
    {
        // "@name" is an abstract socket: on the wire its name starts with NUL instead of '@'.
        var address = socket[0] switch
        {
            '/' => socket,
            '@' => "\0" + socket[1..],
            _ => null,
        };
        if (address is null)
        {
            Log.UnsupportedSocket(logger, socket);
            return null;
        }

        try
        {
            return new UnixDomainSocketEndPoint(address);
        }
        catch (ArgumentException ex)
        {
            Log.InvalidSocket(logger, socket, ex);
            return null;
        }
    }

    private static string FirstLine(string state)
    {
        var end = state.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? state : state[..end];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, EventName = "SystemdNotifySendFailed", Level = LogLevel.Warning,
            Message = "Could not send {State} to the systemd notify socket {Socket}")]
        public static partial void SendFailed(ILogger logger, string socket, string state, Exception exception);

        [LoggerMessage(EventId = 2002, EventName = "SystemdNotifySocketUnsupported", Level = LogLevel.Warning,
            Message = "NOTIFY_SOCKET {Socket} is neither an absolute path nor an abstract @name; systemd notifications are off")]
        public static partial void UnsupportedSocket(ILogger logger, string socket);

        [LoggerMessage(EventId = 2003, EventName = "SystemdNotifySocketInvalid", Level = LogLevel.Warning,
            Message = "NOTIFY_SOCKET {Socket} cannot be used; systemd notifications are off")]
        public static partial void InvalidSocket(ILogger logger, string socket, Exception exception);
    }
}
