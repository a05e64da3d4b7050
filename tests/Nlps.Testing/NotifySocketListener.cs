using System.Net.Sockets;
using System.Text;

namespace Nlps.Testing;

/// <summary>Plays systemd's side: a real Unix datagram socket that notifications arrive on.</summary>
public sealed class NotifySocketListener : IDisposable
{
    // Only a guard against a hung test; arrival of the datagram is what the tests wait for.
    private static readonly TimeSpan FailureGuard = TimeSpan.FromSeconds(10);

    private readonly Socket socket;
    private readonly DirectoryInfo? folder;

    private NotifySocketListener(Socket socket, string notifySocket, DirectoryInfo? folder)
    {
        this.socket = socket;
        NotifySocket = notifySocket;
        this.folder = folder;
    }

    /// <summary>The value NOTIFY_SOCKET would have.</summary>
    public string NotifySocket { get; }

    public int PendingBytes => socket.Available;

    public static NotifySocketListener AtPath()
    {
        var folder = Directory.CreateTempSubdirectory("nlps-systemd-");
        var path = Path.Combine(folder.FullName, "notify.sock");
        return new NotifySocketListener(Bind(path), path, folder);
    }

    public static NotifySocketListener Abstract()
    {
        var name = "nlps-test-" + Guid.NewGuid().ToString("N");
        return new NotifySocketListener(Bind("\0" + name), "@" + name, folder: null);
    }

    public string Receive()
    {
        var buffer = new byte[64 * 1024];
        var length = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Collects datagrams until one satisfies <paramref name="done"/>; <paramref name="guard"/> only stops a hung test.</summary>
    public async Task<IReadOnlyList<string>> ReceiveUntilAsync(Func<string, bool> done, TimeSpan guard)
    {
        using var timeout = new CancellationTokenSource(guard);
        var received = new List<string>();
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
                throw new TimeoutException($"no matching notification within {guard}; received: {string.Join(" | ", received)}");
            }

            var message = Encoding.UTF8.GetString(buffer, 0, length);
            received.Add(message);
            if (done(message))
            {
                return received;
            }
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        folder?.Delete(recursive: true);
    }

    private static Socket Bind(string address)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)FailureGuard.TotalMilliseconds,
        };
        socket.Bind(new UnixDomainSocketEndPoint(address));
        return socket;
    }
}
