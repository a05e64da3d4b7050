using System.Net.Sockets;
using System.Text;

namespace Nlps.Packaging.Tests.Support;

/// <summary>
/// Plays systemd's side of sd_notify: a real Unix datagram socket at a path. The socket file is writable by every
/// user, because the daemon under test runs as the nlps account, as systemd would start it.
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> received = [];

    public NotifySocket(string path)
    {
        Path = path;
        socket.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Path { get; }

    /// <summary>Every datagram so far, in arrival order.</summary>
    public IReadOnlyList<string> Received => received;

    /// <summary>Receives datagrams until one has the line <paramref name="assignment"/> (e.g. <c>READY=1</c>).</summary>
    public async Task<string> WaitForAsync(string assignment, TimeSpan guard)
    {
        using var timeout = new CancellationTokenSource(guard);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {assignment} within {guard}; received: [{string.Join(" | ", received)}]");
            }

            var message = Encoding.UTF8.GetString(buffer, 0, length);
            received.Add(message);
            if (message.Split('\n').Contains(assignment))
            {
                return message;
            }
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        File.Delete(Path);
    }
}
