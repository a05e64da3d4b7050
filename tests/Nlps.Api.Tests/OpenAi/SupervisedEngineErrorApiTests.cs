using System.Net;
using System.Text.Json;
using Nlps.Api.Tests.Support;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>
/// Chat completions on a vLLM deployment (the recorded 4× L40S box) whose "vllm" is a small Python HTTP server: it
/// reports healthy, so the supervisor holds it ready, but answers every completion with a 500, or hangs up without
/// answering when the last message says so. Either is 502 with a message that says what the engine did, whole or
/// streamed; the appliance does not turn it into a 500 of its own.
/// </summary>
public sealed class SupervisedEngineErrorApiTests : IAsyncLifetime
{
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);
    private readonly TempFolder _folder = new("nlps-failing-engine");
    private TestAppliance _appliance = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        string engine = _folder.Combine("vllm");
        await File.WriteAllTextAsync(engine, """
            #!/usr/bin/python3
            import http.server, json, sys

            port = int(sys.argv[sys.argv.index("--port") + 1])

            class FailingEngine(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

                def do_POST(self):
                    request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    if request["messages"][-1]["content"] == "hang up":
                        self.close_connection = True
                        return
                    body = json.dumps({"error": {"message": "CUDA error: an illegal memory access was encountered", "type": "InternalServerError", "param": None, "code": 500}}).encode()
                    self.send_response(500)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, format, *args):
                    pass

            http.server.ThreadingHTTPServer(("127.0.0.1", port), FailingEngine).serve_forever()
            """);
        File.SetUnixFileMode(engine, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _appliance = new TestAppliance(new Dictionary<string, string?>
        {
            ["Hardware:SimulatedBoxFolder"] = Path.Combine(AppContext.BaseDirectory, "Fixtures", "l40s-4x"),
            ["Models:Engines:Vllm:Executable"] = engine,
            ["Models:Engines:Vllm:Supervision:HealthPollInterval"] = "00:00:00.100",
            ["Models:Deployments:gpu-chat:Engine"] = "vllm",
            ["Models:Deployments:gpu-chat:Model"] = "tiny-llama",
            ["Models:Deployments:gpu-chat:Roles:0"] = "chat",
        });
        await _appliance.ImportModelAsync(_model.Folder, "tiny-llama");
        _client = _appliance.CreateAdminClient();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_engine_answering_500_is_a_502_with_the_engines_message(bool stream)
    {
        using HttpResponseMessage response = await ChatAsync("안녕하세요", stream);

        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.BadGateway, "engine_error", "server_error");
        Assert.Equal("gpu-chat answered 500: CUDA error: an illegal memory access was encountered", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_engine_that_hangs_up_is_a_502_saying_it_could_not_be_reached(bool stream)
    {
        using HttpResponseMessage response = await ChatAsync("hang up", stream);

        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.BadGateway, "engine_unreachable", "server_error");
        Assert.StartsWith("The engine serving 'gpu-chat' could not be reached: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _appliance.DisposeAsync();
        _model.Dispose();
        _folder.Dispose();
    }

    private Task<HttpResponseMessage> ChatAsync(string content, bool stream) =>
        _client.PostAsync("/v1/chat/completions", TestAppliance.Json(JsonSerializer.Serialize(new
        {
            model = "gpu-chat",
            messages = new[] { new { role = "user", content } },
            max_tokens = 4,
            stream,
        })));
}
