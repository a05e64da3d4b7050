using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.AI;
using Nlps.Models.Engines.Remote;
using Nlps.Models.Scheduling;
using Nlps.Testing;

namespace Nlps.Models.Tests.Engines;

/// <summary>
/// A remote endpoint against a loopback server that records each request and answers 503 (or, when told, lists one
/// model): how often a call is tried, and what is sent. (It answers rather than hangs up: .NET's handler itself
/// re-sends a request whose new connection closes before any response.)
/// </summary>
public sealed class RemoteEndpointTests : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly Task _server;
    private readonly TempFolder _folder = new("nlps-remote");
    private volatile bool _listModel;

    public RemoteEndpointTests()
    {
        _listener.Start();
        _server = ServeAsync();
    }

    [Fact]
    public async Task Listing_models_is_retried_up_to_the_limit_but_a_chat_completion_is_sent_once()
    {
        using RemoteEndpoint endpoint = Endpoint(new RemoteEndpointOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10), FailureThreshold = 10 });

        var listing = await Assert.ThrowsAsync<ModelUnavailableException>(() => endpoint.ListModelsAsync(CancellationToken.None));
        int afterListing = Requests().Count;
        var backend = new RemoteEngineBackend();
        backend.Register("far", endpoint, "m");
        _listModel = true;
        await backend.LoadAsync(new ScheduledDeployment("far", "m", new Dictionary<string, long> { ["remote"] = 0 }), CancellationToken.None);
        _listModel = false;
        var chat = await Assert.ThrowsAsync<ModelUnavailableException>(() => backend.GetChatClient("far").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal("endpoint_unreachable", listing.Code);
        Assert.Equal(3, afterListing);
        Assert.All(Requests().Take(4), r => Assert.StartsWith("GET /v1/models HTTP/1.1", r, StringComparison.Ordinal));
        Assert.Equal("endpoint_unreachable", chat.Code);
        Assert.Contains("answered 503: overloaded", chat.Message, StringComparison.Ordinal);
        Assert.Equal(5, Requests().Count);
        Assert.StartsWith("POST /v1/chat/completions HTTP/1.1", Requests()[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_from_its_file_is_sent_as_a_bearer_token()
    {
        string keyFile = _folder.Combine("cluster.key");
        await File.WriteAllTextAsync(keyFile, "sk-cluster-secret\n");
        using RemoteEndpoint endpoint = Endpoint(new RemoteEndpointOptions { ApiKeyFile = keyFile, MaxRetries = 0 });

        await Assert.ThrowsAsync<ModelUnavailableException>(() => endpoint.ListModelsAsync(CancellationToken.None));

        Assert.Contains("Authorization: Bearer sk-cluster-secret\r\n", Assert.Single(Requests()), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_settings_are_named_by_key()
    {
        var options = new RemoteEndpointOptions { BaseUrl = "ftp://x", ApiKeyFile = _folder.Combine("missing.key"), FailureThreshold = 0 };

        var problems = options.Validate("Models:Remotes:cluster").ToList();

        Assert.Contains(problems, p => p.StartsWith("Models:Remotes:cluster:BaseUrl", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Models:Remotes:cluster:ApiKeyFile", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("FailureThreshold 1..100", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _server.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        _folder.Dispose();
    }

    private RemoteEndpoint Endpoint(RemoteEndpointOptions options)
    {
        options.BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        return new RemoteEndpoint("cluster", options);
    }

    private List<string> Requests()
    {
        lock (_requests)
        {
            return [.. _requests];
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            var buffer = new byte[8192];
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            lock (_requests)
            {
                _requests.Add(Encoding.ASCII.GetString(buffer, 0, read));
            }

            string body = _listModel ? "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\"}]}" : "{\"error\":{\"message\":\"overloaded\"}}";
            string status = _listModel ? "200 OK" : "503 Service Unavailable";
            await socket.SendAsync(
                Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), SocketFlags.None, _stop.Token);
            socket.Shutdown(SocketShutdown.Send);

            socket.Close();
        }
    }
}
