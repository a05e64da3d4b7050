using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>
/// An OpenAI-compatible server on a loopback port that lists <see cref="ChatModel"/> and <see cref="EmbeddingModel"/>
/// and answers every chat completion and embeddings request with what the test last set: the engine behind a remote
/// deployment, misbehaving on demand.
/// </summary>
internal sealed class ScriptedEngine : IAsyncDisposable
{
    public const string ChatModel = "tiny";
    public const string EmbeddingModel = "enc";

    private readonly WebApplication _server;
    private volatile Reply _reply = new(200, "application/json", "{}");

    private ScriptedEngine(WebApplication server) => _server = server;

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl => _server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

    public static async Task<ScriptedEngine> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var engine = new ScriptedEngine(builder.Build());
        engine._server.MapGet("/v1/models", () => Results.Text($$"""{"object":"list","data":[{"id":"{{ChatModel}}"},{"id":"{{EmbeddingModel}}"}]}""", "application/json"));
        engine._server.MapPost("/v1/chat/completions", engine.AnswerAsync);
        engine._server.MapPost("/v1/embeddings", engine.AnswerAsync);
        await engine._server.StartAsync();
        return engine;
    }

    /// <summary>From now on, every request is answered with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public void Answer(int status, string body, string contentType = "application/json") => _reply = new Reply(status, contentType, body);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        Reply answer = _reply;
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body);
    }

    private sealed record Reply(int Status, string ContentType, string Body);
}
