using System.Net;
using System.Text.Json;
using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>
/// Chat completions (whole and streamed) and embeddings on remote deployments whose endpoint is a loopback server
/// answering what each test sets: the engine's refusal reaches the caller with its 4xx and message (a context-length
/// refusal as 400 <c>context_length_exceeded</c>), an answer that is not one is 502, a server error counts against the
/// endpoint and is 503 with Retry-After, the same on every route; a stream that fails after its first chunk ends with
/// an error event and <c>[DONE]</c>.
/// </summary>
public sealed class RemoteEngineErrorApiTests : IAsyncLifetime
{
    private const string StreamedError = "data: {\"error\":{\"message\":\"CUDA error: out of memory\",\"type\":\"InternalServerError\",\"code\":500}}\n\n";
    private ScriptedEngine _engine = null!;
    private TestAppliance _appliance = null!;
    private HttpClient _client = null!;

    public static TheoryData<string> Routes => new() { "chat", "chat-stream", "embeddings" };

    public async Task InitializeAsync()
    {
        _engine = await ScriptedEngine.StartAsync();
        _appliance = new TestAppliance(new Dictionary<string, string?>
        {
            ["Models:Remotes:cluster:BaseUrl"] = _engine.BaseUrl,
            ["Models:Remotes:cluster:MaxRetries"] = "0",
            ["Models:Remotes:cluster:FailureThreshold"] = "100",
            ["Models:Deployments:cluster-chat:Engine"] = "remote",
            ["Models:Deployments:cluster-chat:Remote"] = "cluster",
            ["Models:Deployments:cluster-chat:Model"] = ScriptedEngine.ChatModel,
            ["Models:Deployments:cluster-embed:Engine"] = "remote",
            ["Models:Deployments:cluster-embed:Remote"] = "cluster",
            ["Models:Deployments:cluster-embed:Model"] = ScriptedEngine.EmbeddingModel,
            ["Models:Deployments:cluster-embed:Task"] = "embedding",
        });
        _client = _appliance.CreateAdminClient();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_engine_refusal_reaches_the_caller_with_its_status_and_message(string route)
    {
        _engine.Answer(400, """{"error":{"message":"temperature는 2 이하여야 합니다 (7)","type":"BadRequestError","param":null,"code":400}}""");

        using HttpResponseMessage response = await SendAsync(route);

        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "engine_refused", "invalid_request_error");
        Assert.EndsWith("answered 400: temperature는 2 이하여야 합니다 (7)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("temperature는 2 이하여야 합니다", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_context_length_refusal_stays_a_400_with_its_code(string route)
    {
        _engine.Answer(400, """
            {"error":{"message":"This model's maximum context length is 32 tokens. However, your messages resulted in 40 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}
            """);

        using HttpResponseMessage response = await SendAsync(route);

        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "context_length_exceeded", "invalid_request_error");
        Assert.Contains("maximum context length is 32 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat", 200, "text/event-stream", StreamedError, "tiny failed while streaming: CUDA error: out of memory")]
    [InlineData("chat-stream", 200, "text/event-stream", StreamedError, "tiny failed while streaming: CUDA error: out of memory")]
    [InlineData("embeddings", 200, "application/json", """{"object":"list"}""", "enc answered /v1/embeddings with an unusable document: no data array")]
    public async Task An_engine_failure_that_is_not_a_refusal_is_a_502_saying_what_the_engine_did(string route, int status, string contentType, string body, string message)
    {
        _engine.Answer(status, body, contentType);

        using HttpResponseMessage response = await SendAsync(route);

        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.BadGateway, "engine_error", "server_error");
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_server_error_of_a_remote_endpoint_counts_against_it_and_is_503_with_retry_after(string route)
    {
        _engine.Answer(500, """{"error":{"message":"internal error","type":"InternalServerError","code":500}}""");

        using HttpResponseMessage response = await SendAsync(route);

        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "endpoint_unreachable", "server_error");
        Assert.Contains("answered 500: internal error", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_stream_that_fails_after_its_first_chunk_ends_with_an_error_event_then_done()
    {
        _engine.Answer(200, "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"안녕\"}}]}\n\n" + StreamedError, "text/event-stream");

        using HttpResponseMessage response = await SendAsync("chat-stream");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        List<string> events = ServerSentEvents.Data(await response.Content.ReadAsStringAsync());
        Assert.Equal(4, events.Count);
        using (var role = JsonDocument.Parse(events[0]))
        {
            Assert.Equal("assistant", role.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        }

        using (var text = JsonDocument.Parse(events[1]))
        {
            Assert.Equal("안녕", text.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        }

        using (var failure = JsonDocument.Parse(events[2]))
        {
            JsonElement error = failure.RootElement.GetProperty("error");
            Assert.Equal(("engine_error", "server_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
            Assert.Equal("tiny failed while streaming: CUDA error: out of memory", error.GetProperty("message").GetString());
        }

        Assert.Equal("[DONE]", events[3]);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _appliance.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(string route) => route switch
    {
        "chat" => _client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"cluster-chat","messages":[{"role":"user","content":"안녕하세요"}],"max_tokens":4}""")),
        "chat-stream" => _client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"cluster-chat","messages":[{"role":"user","content":"안녕하세요"}],"max_tokens":4,"stream":true}""")),
        "embeddings" => _client.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"cluster-embed","input":["첫째 문장"]}""")),
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, "not a route of these tests"),
    };
}
