using Microsoft.Extensions.AI;
using Nlps.Models.Engines;
using Nlps.Models.Engines.Processes;
using Nlps.Models.Engines.Remote;
using Nlps.Models.Scheduling;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>
/// The remote back-end against a real OpenAI-compatible server: the built-in engine as its own process on a loopback
/// port, stopped and started again to play an endpoint that goes down and comes back. The circuit's clock is fake.
/// </summary>
public sealed class RemoteEngineBackendTests : IAsyncLifetime
{
    private const string Deployment = "cluster-chat";
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly int _port = EngineFixtures.FreePort();
    private readonly FakeTimeProvider _time = new();
    private readonly ScheduledDeployment _deployment = new(Deployment, "tiny-llama", new Dictionary<string, long> { ["remote"] = 0 });
    private EngineSupervisor _server = null!;

    public async Task InitializeAsync() => _server = await StartServerAsync();

    [Fact]
    public async Task Chat_streams_from_the_remote_endpoint_update_by_update()
    {
        using RemoteEndpoint endpoint = Endpoint();
        var backend = new RemoteEngineBackend();
        backend.Register(Deployment, endpoint, "tiny");
        await backend.LoadAsync(_deployment, CancellationToken.None);

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in backend.GetChatClient(Deployment).GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "서울의 날씨")], new ChatOptions { Temperature = 0, MaxOutputTokens = 5 }))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 2, "text arrives in several updates, not one buffered answer");
        Assert.Equal(ChatFinishReason.Length, updates.Single(u => u.FinishReason is not null).FinishReason);
        UsageContent usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.Equal(5, usage.Details.OutputTokenCount);
        Assert.Equal(EngineState.Ready, backend.GetHealth(Deployment).State);
    }

    [Fact]
    public async Task A_model_the_endpoint_does_not_list_fails_the_start_naming_what_it_lists()
    {
        using RemoteEndpoint endpoint = Endpoint();
        var backend = new RemoteEngineBackend();
        backend.Register(Deployment, endpoint, "llama-3.1-70b");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.LoadAsync(_deployment, CancellationToken.None));

        Assert.Contains("does not serve model 'llama-3.1-70b'; it lists: tiny", refused.Message, StringComparison.Ordinal);
        Assert.Equal(EngineState.Stopped, backend.GetHealth(Deployment).State);
    }

    [Fact]
    public async Task An_endpoint_that_goes_down_opens_the_circuit_with_503_and_a_reason_and_it_closes_when_the_endpoint_returns()
    {
        using RemoteEndpoint endpoint = Endpoint();
        var backend = new RemoteEngineBackend();
        backend.Register(Deployment, endpoint, "tiny");
        await backend.LoadAsync(_deployment, CancellationToken.None);
        IChatClient chat = backend.GetChatClient(Deployment);
        Assert.NotEmpty((await AskAsync(chat)).Text);

        await _server.StopAsync();
        var first = await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));
        var second = await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));
        var open = await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));

        Assert.Equal(["endpoint_unreachable", "endpoint_unreachable", "circuit_open"], new[] { first.Code, second.Code, open.Code });
        Assert.Equal(503, open.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), open.RetryAfter);
        Assert.Contains($"remote endpoint 'cluster' (http://127.0.0.1:{_port}/) is not used for 30 s after failures in a row; last:", open.Message, StringComparison.Ordinal);
        Assert.Contains("refused", open.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(EngineState.Unavailable, backend.GetHealth(Deployment).State);

        _server = await StartServerAsync();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("circuit_open", (await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat))).Code);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.HalfOpen, endpoint.Breaker.State);

        Assert.NotEmpty((await AskAsync(chat)).Text);
        Assert.Equal(CircuitState.Closed, endpoint.Breaker.State);
        Assert.Equal(EngineState.Ready, backend.GetHealth(Deployment).State);
    }

    [Fact]
    public async Task A_failed_trial_call_in_half_open_opens_the_circuit_again()
    {
        using RemoteEndpoint endpoint = Endpoint();
        var backend = new RemoteEngineBackend();
        backend.Register(Deployment, endpoint, "tiny");
        await backend.LoadAsync(_deployment, CancellationToken.None);
        IChatClient chat = backend.GetChatClient(Deployment);
        await _server.StopAsync();
        await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));
        await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));

        _time.Advance(TimeSpan.FromSeconds(30));
        var trial = await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));
        var after = await Assert.ThrowsAsync<ModelUnavailableException>(() => AskAsync(chat));

        Assert.Equal("endpoint_unreachable", trial.Code);
        Assert.Equal("circuit_open", after.Code);
        Assert.Equal(CircuitState.Open, endpoint.Breaker.State);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _model.Dispose();
        _http.Dispose();
    }

    private RemoteEndpoint Endpoint() => new(
        "cluster",
        new RemoteEndpointOptions { BaseUrl = $"http://127.0.0.1:{_port}", FailureThreshold = 2, OpenDuration = TimeSpan.FromSeconds(30), MaxRetries = 0 },
        _time);

    private static Task<ChatResponse> AskAsync(IChatClient chat) =>
        chat.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 3 });

    private Task<EngineSupervisor> StartServerAsync() => EngineFixtures.StartServerAsync(_model.Folder, _port, _http);
}
