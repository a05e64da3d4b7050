using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nlps.Inference.Embeddings;
using Nlps.Models.Engines.OpenAi;
using Nlps.Models.Engines.Processes;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>
/// Embeddings off the built-in engine: an encoder served by <c>nlpsd engine serve</c> on its own <c>/v1/embeddings</c>
/// (the peer that plays vLLM's pooling runner or a remote cluster), and nlpsd relaying a remote embedding deployment
/// with the deployment's query/passage prefixes, its engine state in the admin view, and 503 once the endpoint is gone.
/// </summary>
public sealed class EngineEmbeddingsTests : IDisposable
{
    private static readonly string[] Texts = ["the query", "passage 42", "삼성전자 1분기 실적"];
    private readonly TinyEncoder _encoder = TinyEncoder.Create(new TinyEncoderSpec { PoolingMode = "pooling_mode_mean_tokens", Normalize = true });
    private readonly TempFolder _state = new("nlpsd-embeddings");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task An_engine_process_serves_an_encoder_with_the_vectors_the_engine_makes_in_process()
    {
        int port = EngineFixtures.FreePort();
        await using EngineSupervisor server = await EngineFixtures.StartServerAsync(_encoder.Folder, port, _http);
        var generator = new OpenAiCompatibleEmbeddingGenerator(_http, server.BaseAddress, "tiny");

        var remote = await generator.GenerateAsync(Texts);
        var none = await generator.GenerateAsync([]);
        using var chat = await _http.PostAsJsonAsync(new Uri(server.BaseAddress, "v1/chat/completions"), new { model = "tiny", messages = new[] { new { role = "user", content = "hi" } } });

        using var local = EncoderEmbeddingModel.Load(_encoder.Folder);
        EmbeddingResult expected = local.Embed(Texts, string.Empty, CancellationToken.None);
        Assert.Equal(Texts.Length, remote.Count);
        for (int i = 0; i < Texts.Length; i++)
        {
            EngineFixtures.AssertVectorsClose(expected.Vectors[i], remote[i].Vector.ToArray());
        }

        Assert.Equal(expected.Tokens, remote.Usage!.InputTokenCount);
        Assert.Empty(none);
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        Assert.Contains("embedding", await chat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_serve_refuses_a_runner_that_does_not_fit_the_model()
    {
        ProcessResult result = await ProcessRunner.RunDotnetToolAsync(
            RepositoryPaths.Nlpsd,
            ["engine", "serve", "--model", _encoder.Folder, "--port", EngineFixtures.FreePort().ToString(CultureInfo.InvariantCulture), "--runner", "generate", "--threads", "1"]);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--runner generate does not fit", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("an encoder (use --runner pooling)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nlpsd_relays_a_remote_embedding_deployment_with_its_prefixes_and_shows_the_endpoint_state()
    {
        int port = EngineFixtures.FreePort();
        EngineSupervisor remote = await EngineFixtures.StartServerAsync(_encoder.Folder, port, _http);
        await using NlpsdProcess nlpsd = await NlpsdProcess.StartAsync(
            _state.Combine("state"),
            $"--Models:Remotes:cluster:BaseUrl=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--Models:Remotes:cluster:FailureThreshold=1",
            "--Models:Remotes:cluster:MaxRetries=1",
            "--Models:Remotes:cluster:RetryDelay=00:00:00.050",
            "--Models:Remotes:cluster:OpenDuration=00:05:00",
            "--Models:Deployments:cluster-embed:Engine=remote",
            "--Models:Deployments:cluster-embed:Remote=cluster",
            "--Models:Deployments:cluster-embed:Model=tiny",
            "--Models:Deployments:cluster-embed:Task=embedding",
            "--Models:Deployments:cluster-embed:Embedding:QueryPrefix=query: ",
            "--Models:Deployments:cluster-embed:Embedding:PassagePrefix=passage: ",
            "--Models:Deployments:cluster-embed:Roles:0=embed");
        using HttpClient client = nlpsd.CreateAdminClient();

        using HttpResponseMessage queries = await client.PostAsJsonAsync("/v1/embeddings", new { model = "cluster-embed", input = Texts, input_type = "query" });
        string queryBody = await queries.Content.ReadAsStringAsync();
        using HttpResponseMessage passages = await client.PostAsJsonAsync("/v1/embeddings", new { model = "cluster-embed", input = Texts, input_type = "passage" });
        string passageBody = await passages.Content.ReadAsStringAsync();
        JsonElement ready = await EngineAsync(client);
        await remote.DisposeAsync();
        using HttpResponseMessage unreachable = await client.PostAsJsonAsync("/v1/embeddings", new { model = "cluster-embed", input = Texts });
        JsonElement down = await EngineAsync(client);

        using var local = EncoderEmbeddingModel.Load(_encoder.Folder);
        Assert.Equal(HttpStatusCode.OK, queries.StatusCode);
        Assert.Equal(HttpStatusCode.OK, passages.StatusCode);
        AssertVectors(local.Embed(Texts, "query: ", CancellationToken.None), queryBody);
        AssertVectors(local.Embed(Texts, "passage: ", CancellationToken.None), passageBody);
        Assert.Equal("remote", ready.GetProperty("kind").GetString());
        Assert.Equal("Ready", ready.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unreachable.StatusCode);
        Assert.Contains("endpoint_unreachable", await unreachable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Unavailable", down.GetProperty("state").GetString());
        Assert.StartsWith("circuit open:", down.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _state.Dispose();
        _http.Dispose();
    }

    private static async Task<JsonElement> EngineAsync(HttpClient client)
    {
        using JsonDocument status = JsonDocument.Parse(await client.GetStringAsync("/v1/admin/deployments"));
        return status.RootElement.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "cluster-embed").GetProperty("engine").Clone();
    }

    private static void AssertVectors(EmbeddingResult expected, string body)
    {
        using var answer = JsonDocument.Parse(body);
        JsonElement[] data = answer.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(expected.Vectors.Count, data.Length);
        for (int i = 0; i < data.Length; i++)
        {
            EngineFixtures.AssertVectorsClose(expected.Vectors[i], data[i].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        }
    }
}
