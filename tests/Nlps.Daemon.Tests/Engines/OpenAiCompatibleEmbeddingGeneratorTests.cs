using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Models.Engines.OpenAi;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>
/// The embeddings client against a real HTTP server on loopback that answers what a test sets: what a server may
/// legally do (answer out of order) is handled, and what makes the vectors unusable is refused with a clear error
/// instead of handing wrong vectors on.
/// </summary>
public sealed class OpenAiCompatibleEmbeddingGeneratorTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private WebApplication _server = null!;
    private string _answer = string.Empty;
    private int _status = 200;
    private string _lastRequest = string.Empty;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _lastRequest = await reader.ReadToEndAsync();
            context.Response.StatusCode = _status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(_answer);
        });
        await _server.StartAsync();
    }

    [Fact]
    public async Task Vectors_answered_out_of_order_come_back_in_input_order_with_the_usage()
    {
        _answer = """{"object":"list","data":[{"index":1,"embedding":[0.5,0.25]},{"index":0,"embedding":[1,-1]}],"usage":{"prompt_tokens":7,"total_tokens":7}}""";

        GeneratedEmbeddings<Embedding<float>> result = await Generator().GenerateAsync(["첫째", "second"], new EmbeddingGenerationOptions { Dimensions = 2 });

        Assert.Equal([1f, -1f], result[0].Vector.ToArray());
        Assert.Equal([0.5f, 0.25f], result[1].Vector.ToArray());
        Assert.Equal(7, result.Usage!.InputTokenCount);
        using var sent = JsonDocument.Parse(_lastRequest);
        Assert.Equal("enc", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal(["첫째", "second"], sent.RootElement.GetProperty("input").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("float", sent.RootElement.GetProperty("encoding_format").GetString());
        Assert.Equal(2, sent.RootElement.GetProperty("dimensions").GetInt32());
    }

    [Theory]
    [InlineData("""{"data":[{"index":0,"embedding":[1,2]}]}""", "1 embeddings for 2 inputs (none for input 1)")]
    [InlineData("""{"data":[{"index":0,"embedding":[1,2]},{"index":0,"embedding":[3,4]}]}""", "embedding index 0 is outside 0..1 or repeated")]
    [InlineData("""{"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[3]}]}""", "vectors of different lengths")]
    [InlineData("""{"data":[{"index":0,"embedding":"AACAPw=="},{"index":1,"embedding":[3]}]}""", "data[0] has no float embedding")]
    [InlineData("""{"object":"list"}""", "no data array")]
    [InlineData("""not json""", "unusable document")]
    public async Task An_answer_that_does_not_give_one_vector_per_input_is_refused(string answer, string reason)
    {
        _answer = answer;

        var refused = await Assert.ThrowsAsync<EngineHttpException>(() => Generator().GenerateAsync(["a", "b"]));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.False(refused.IsServerError);
    }

    [Fact]
    public async Task A_refusal_keeps_the_servers_status_and_message()
    {
        _status = 400;
        _answer = """{"error":{"message":"This model's maximum context length is 512 tokens","type":"BadRequestError","code":400}}""";

        var refused = await Assert.ThrowsAsync<EngineHttpException>(() => Generator().GenerateAsync(["a"]));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("enc answered 400: This model's maximum context length is 512 tokens", refused.Message);
        Assert.Null(refused.Code);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private OpenAiCompatibleEmbeddingGenerator Generator()
    {
        string address = _server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new OpenAiCompatibleEmbeddingGenerator(_http, new Uri(address + "/"), "enc");
    }
}
