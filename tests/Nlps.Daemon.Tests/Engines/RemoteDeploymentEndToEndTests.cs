using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nlps.Models.Engines.Processes;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>
/// nlpsd configured with a remote deployment (<c>Models:Remotes</c>, <c>Engine = remote</c>) whose endpoint is the
/// built-in engine as its own process: its OpenAI-compatible API relays the remote's answer, and answers 503 with
/// the reason and Retry-After once the endpoint is gone.
/// </summary>
public sealed class RemoteDeploymentEndToEndTests : IDisposable
{
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);
    private readonly TempFolder _state = new("nlpsd-remote");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Nlpsd_serves_a_remote_deployment_and_answers_503_with_the_reason_when_the_endpoint_is_down()
    {
        int port = EngineFixtures.FreePort();
        EngineSupervisor remote = await EngineFixtures.StartServerAsync(_model.Folder, port, _http);
        await using NlpsdProcess nlpsd = await NlpsdProcess.StartAsync(
            _state.Combine("state"),
            $"--Models:Remotes:cluster:BaseUrl=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--Models:Remotes:cluster:FailureThreshold=1",
            "--Models:Remotes:cluster:OpenDuration=00:05:00",
            "--Models:Deployments:cluster-chat:Engine=remote",
            "--Models:Deployments:cluster-chat:Remote=cluster",
            "--Models:Deployments:cluster-chat:Model=tiny");
        using HttpClient client = nlpsd.CreateAdminClient();

        using HttpResponseMessage served = await client.PostAsJsonAsync("/v1/chat/completions", Request());
        string body = await served.Content.ReadAsStringAsync();
        await remote.DisposeAsync();
        using HttpResponseMessage unreachable = await client.PostAsJsonAsync("/v1/chat/completions", Request());
        using HttpResponseMessage open = await client.PostAsJsonAsync("/v1/chat/completions", Request());

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using (var answer = JsonDocument.Parse(body))
        {
            Assert.Equal("cluster-chat", answer.RootElement.GetProperty("model").GetString());
            Assert.NotEmpty(answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
            Assert.Equal(4, answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unreachable.StatusCode);
        Assert.Equal("endpoint_unreachable", await CodeAsync(unreachable));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        Assert.Equal("circuit_open", await CodeAsync(open));
        Assert.Equal(300, (int)open.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.Contains($"remote endpoint 'cluster' (http://127.0.0.1:{port}/)", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _model.Dispose();
        _state.Dispose();
        _http.Dispose();
    }

    private static object Request() => new
    {
        model = "cluster-chat",
        messages = new[] { new { role = "user", content = "부산 날씨 알려줘" } },
        temperature = 0,
        max_tokens = 4,
        ignore_eos = true,
    };

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return error.RootElement.GetProperty("error").GetProperty("code").GetString();
    }
}
