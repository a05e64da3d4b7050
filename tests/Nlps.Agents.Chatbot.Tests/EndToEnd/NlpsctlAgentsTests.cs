using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nlps.Agents.Chatbot.Tests.Support;
using Nlps.Testing;
using Nlps.Testing.Models;
using Xunit.Abstractions;

namespace Nlps.Agents.Chatbot.Tests.EndToEnd;

/// <summary><c>nlpsctl agents</c> and <c>nlpsctl eval</c> against a real nlpsd process with the packed chatbot (and a tiny model on the CPU engine).</summary>
public sealed class NlpsctlAgentsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Nlpsctl_calls_operations_follows_an_ingestion_job_and_prints_a_streamed_answer_a_line_per_event()
    {
        using var state = new StateFolder();
        using var model = TinyModel.Create(TinyModelSpec.Llama3 with { MaxPositions = 4096 });
        await ChatbotAppliance.ImportModelAsync(state, model.Folder, "tiny-llama");
        await using var nlpsd = await NlpsdProcess.StartAsync(
            state.Directory,
            "--Plugins:TrustedKeyFiles:0=" + state.Packages.WriteTrustedKeyFile(),
            "--Models:Deployments:tiny:Model=tiny-llama",
            "--Models:Deployments:tiny:Roles:0=chat",
            "--Models:Deployments:tiny:Threads=1",
            "--Agents:nlps.chatbot:answerPassages=2",
            "--Agents:nlps.chatbot:maxAnswerTokens=16",
            "--Agents:nlps.chatbot:minBm25Score=0.1");
        var connection = await InstallChatbotAsync(nlpsd, state);
        var created = await NlpsctlAsync(["agents", "call", "nlps.chatbot", "kb_create", """{"kb":"공지"}""", .. connection]);
        Assert.Contains("\"kb\": \"공지\"", created.StandardOutput, StringComparison.Ordinal);

        var request = Path.Combine(state.Directory, "ingest.json");
        var documents = Enumerable.Range(1, 12).Select(i => new
        {
            name = $"공지-{i:D2}.txt",
            contentBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes($"공지 {i}\n\n{i}번 지점의 영업시간은 오전 9시부터 오후 {i % 5 + 3}시까지입니다.")),
        });
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(new { kb = "공지", documents }));
        var ingested = await NlpsctlAsync(["agents", "call", "nlps.chatbot", "ingest", "--file", request, "--watch", "ingest_status", "--cancel", "ingest_cancel", .. connection]);
        var report = JsonDocument.Parse(ingested.StandardOutput).RootElement;
        Assert.Equal("completed", report.GetProperty("state").GetString());
        Assert.Equal(12, report.GetProperty("ingested").GetInt32());
        Assert.Contains("12/12 items", ingested.StandardError, StringComparison.Ordinal);

        var streamed = await NlpsctlAsync(["agents", "call", "nlps.chatbot", "ask_stream", """{"kb":"공지","question":"5번 지점의 영업시간은?"}""", .. connection]);
        var events = streamed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal("sources", events[0].GetProperty("kind").GetString());
        Assert.Equal("answer", events[^1].GetProperty("kind").GetString());
        Assert.Contains("지점의 영업시간", events[0].GetRawText(), StringComparison.Ordinal);

        var missing = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["agents", "call", "nlps.chatbot", "search", """{"kb":"없음","query":"영업시간"}""", .. connection], guard: Guard);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error: kb_not_found", missing.StandardError, StringComparison.Ordinal);
        var malformed = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["agents", "call", "nlps.chatbot", "search", "{kb:", .. connection], guard: Guard);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("error: invalid_request: the request is not JSON", malformed.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nlpsctl_eval_retrieval_scores_bm25_on_the_korean_set_and_says_why_dense_and_hybrid_cannot_run()
    {
        using var state = new StateFolder();
        await using var nlpsd = await NlpsdProcess.StartAsync(state.Directory, "--Plugins:TrustedKeyFiles:0=" + state.Packages.WriteTrustedKeyFile());
        var connection = await InstallChatbotAsync(nlpsd, state);
        var set = await IngestEvaluationSetAsync(state, connection);

        var table = await NlpsctlAsync(["eval", "retrieval", "--kb", "평가", "--queries", Path.Combine(set, "questions.jsonl"), .. connection]);
        var json = await NlpsctlAsync(["eval", "retrieval", "--kb", "평가", "--queries", Path.Combine(set, "questions.jsonl"), "--json", .. connection]);

        output.WriteLine(table.StandardOutput);
        var rows = table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("MODE", rows[0], StringComparison.Ordinal);
        Assert.Matches(@"^bm25\s+21\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}$", rows[1]);
        Assert.Contains("model_unavailable", rows[2], StringComparison.Ordinal);
        Assert.Contains("fell back to bm25", rows[3], StringComparison.Ordinal);
        var bm25 = JsonDocument.Parse(json.StandardOutput).RootElement[0];
        Assert.True(bm25.GetProperty("recallAt10").GetDouble() >= 0.9, bm25.GetRawText());
        Assert.True(bm25.GetProperty("recallAt1").GetDouble() <= bm25.GetProperty("recallAt5").GetDouble());

        var missing = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["eval", "retrieval", "--kb", "평가", "--queries", Path.Combine(set, "nothing.jsonl"), .. connection], guard: Guard);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error: invalid_questions:", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nlpsctl_eval_retrieval_scores_dense_and_hybrid_side_by_side_once_an_encoder_serves_embed()
    {
        using var state = new StateFolder();
        using var encoder = TinyEncoder.Create(new TinyEncoderSpec { PoolingMode = "pooling_mode_mean_tokens", Normalize = true, MaxPositions = 512 });
        await ChatbotAppliance.ImportModelAsync(state, encoder.Folder, "tiny-encoder");
        await using var nlpsd = await NlpsdProcess.StartAsync(
            state.Directory,
            "--Plugins:TrustedKeyFiles:0=" + state.Packages.WriteTrustedKeyFile(),
            "--Models:Deployments:embedder:Model=tiny-encoder",
            "--Models:Deployments:embedder:Roles:0=embed",
            "--Models:Deployments:embedder:Threads=1",
            "--Models:Deployments:embedder:Embedding:Truncation=truncate");
        var connection = await InstallChatbotAsync(nlpsd, state);
        var set = await IngestEvaluationSetAsync(state, connection);

        var table = await NlpsctlAsync(["eval", "retrieval", "--kb", "평가", "--queries", Path.Combine(set, "questions.jsonl"), .. connection]);

        output.WriteLine(table.StandardOutput);
        var rows = table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, rows.Length);
        foreach ((string row, string mode) in rows[1..].Zip(["bm25", "dense", "hybrid"]))
        {
            Assert.Matches($@"^{mode}\s+21\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d\.\d{{3}}$", row);
        }
    }

    // The Korean evaluation set's 6 documents into knowledge base 평가; returns the set's folder (questions.jsonl is there).
    private static async Task<string> IngestEvaluationSetAsync(StateFolder state, string[] connection)
    {
        var set = Path.Combine(AppContext.BaseDirectory, "Corpus", "eval");
        var documents = Directory.GetFiles(set).Where(f => !f.EndsWith(".jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(f => new { name = Path.GetFileName(f), contentBase64 = Convert.ToBase64String(File.ReadAllBytes(f)) });
        await File.WriteAllTextAsync(Path.Combine(state.Directory, "ingest.json"), JsonSerializer.Serialize(new { kb = "평가", wait = true, documents }));
        await NlpsctlAsync(["agents", "call", "nlps.chatbot", "kb_create", """{"kb":"평가"}""", .. connection]);
        var ingested = await NlpsctlAsync(["agents", "call", "nlps.chatbot", "ingest", "--file", Path.Combine(state.Directory, "ingest.json"), .. connection]);
        Assert.Equal(6, JsonDocument.Parse(ingested.StandardOutput).RootElement.GetProperty("ingested").GetInt32());
        return set;
    }

    private static async Task<string[]> InstallChatbotAsync(NlpsdProcess nlpsd, StateFolder state)
    {
        using var http = nlpsd.CreateAdminClient();
        using var package = new ByteArrayContent(await File.ReadAllBytesAsync(await state.Packages.BuildFirstPartyAsync("Nlps.Agents.Chatbot")));
        package.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var installed = await http.PostAsync(new Uri("/v1/admin/plugins", UriKind.Relative), package);
        Assert.Equal(HttpStatusCode.Created, installed.StatusCode);
        return ["--url", nlpsd.BaseAddress.ToString(), "--token-file", Path.Combine(state.Directory, "admin.token")];
    }

    private static async Task<ProcessResult> NlpsctlAsync(string[] arguments) =>
        (await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, arguments, guard: Guard)).EnsureSuccess("nlpsctl " + string.Join(' ', arguments.Take(4)));
}
