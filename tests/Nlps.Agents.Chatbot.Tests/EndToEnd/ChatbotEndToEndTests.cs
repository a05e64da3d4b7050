using System.Net;
using System.Text;
using System.Text.Json;
using Nlps.Agents.Chatbot.Tests.Support;
using Nlps.Testing.Models;

namespace Nlps.Agents.Chatbot.Tests.EndToEnd;

/// <summary>The packed chatbot installed into nlpsd in process, called over HTTP, on a real SQLite state database.</summary>
public sealed class ChatbotEndToEndTests
{
    private static object Upload(string name, byte[] content) => new { name, contentBase64 = Convert.ToBase64String(content) };

    private static object Corpus(string file) => Upload(file, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", file)));

    // Built once: an Open XML file written twice differs in its zip timestamps, and so in its content hash.
    private static readonly object[] Good =
    [
        Corpus("deposit-protection.md"),
        Corpus("loan-guide.html"),
        Corpus("card-terms.txt"),
        Upload("fx-guide.docx", OfficeFiles.Docx([("Title", "환전 안내"), ("Heading2", "환전 수수료"), (null, "외화 현찰을 살 때 환전 수수료는 1.75%이며 주거래 고객은 90%까지 우대받습니다.")], null)),
        Upload("savings-rates.xlsx", OfficeFiles.Xlsx("적금 금리", ["상품", "기본금리", "가입기간"], ["청년도약계좌", "연 4.5%", "60개월"], ["자유적금", "연 3.1%", "12개월"])),
    ];

    private static object[] GoodDocuments() => Good;

    private static async Task<(ChatbotAppliance Appliance, HttpClient Client)> StartAsync(StateFolder state, TestModels? models = null, bool install = true, IDictionary<string, string?>? settings = null)
    {
        var appliance = new ChatbotAppliance(state, models, settings);
        var client = appliance.CreateAdminClient();
        if (install)
        {
            await appliance.InstallChatbotAsync(client);
            await ChatbotAppliance.CallOkAsync(client, "kb_create", new { kb = "금융상품" });
        }

        return (appliance, client);
    }

    private static string[] Documents(JsonElement search) =>
        search.GetProperty("passages").EnumerateArray().Select(p => p.GetProperty("documentId").GetString()!).ToArray();

    [Fact]
    public async Task Every_supported_format_is_ingested_and_bad_files_fail_alone_with_clear_reasons()
    {
        using var state = new StateFolder();
        var (appliance, client) = await StartAsync(state);
        await using var _ = appliance;
        using var __ = client;

        var job = await ChatbotAppliance.CallOkAsync(client, "ingest", new
        {
            kb = "금융상품",
            wait = true,
            documents = GoodDocuments().Concat(
            [
                Upload("broken.docx", Encoding.UTF8.GetBytes("zip 파일이 아님")),
                Upload("malware.exe", [0x4D, 0x5A, 0x90]),
                Upload("legacy-euckr.txt", [0xB1, 0xDD, 0xB8, 0xAE]),
                new { name = "not-base64.txt", contentBase64 = "%%%" },
            ]).ToArray(),
        });

        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(9, job.GetProperty("total").GetInt32());
        Assert.Equal(9, job.GetProperty("processed").GetInt32());
        Assert.Equal(5, job.GetProperty("ingested").GetInt32());
        Assert.Equal(4, job.GetProperty("failed").GetInt32());
        var errors = job.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("status").GetString() == "failed")
            .ToDictionary(i => i.GetProperty("documentId").GetString()!, i => i.GetProperty("error").GetString()!);
        Assert.Contains("not a readable .docx", errors["broken.docx"], StringComparison.Ordinal);
        Assert.Contains("unsupported file type '.exe'", errors["malware.exe"], StringComparison.Ordinal);
        Assert.Contains("not UTF-8", errors["legacy-euckr.txt"], StringComparison.Ordinal);
        Assert.Contains("not valid base64", errors["not-base64.txt"], StringComparison.Ordinal);
        Assert.Contains(job.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("dense index not built", StringComparison.Ordinal));

        // Each good document answers a question in its own words, inflected differently from the text.
        Assert.Equal("deposit-protection.md", Documents(await Search(client, "예금자보호 한도가 얼마인가요"))[0]);
        Assert.Equal("loan-guide.html", Documents(await Search(client, "중도상환수수료는"))[0]);
        Assert.Equal("card-terms.txt", Documents(await Search(client, "카드를 분실했을 때"))[0]);
        Assert.Equal("fx-guide.docx", Documents(await Search(client, "환전 수수료 우대"))[0]);
        Assert.Equal("savings-rates.xlsx", Documents(await Search(client, "청년도약계좌의 기본금리"))[0]);

        var list = await ChatbotAppliance.CallOkAsync(client, "kb_list", new { kb = "" });
        var kb = list.GetProperty("knowledgeBases").EnumerateArray().Single();
        Assert.Equal("금융상품", kb.GetProperty("kb").GetString());
        Assert.Equal(5, kb.GetProperty("documents").GetInt32());
        Assert.Equal(0, kb.GetProperty("vectors").GetInt32());
    }

    [Fact]
    public async Task Search_returns_the_full_parent_passage_with_scores_and_the_retriever_that_found_it()
    {
        using var state = new StateFolder();
        var (appliance, client) = await StartAsync(state);
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var result = await Search(client, "투기과열지구 LTV", mode: "bm25");

        var top = result.GetProperty("passages")[0];
        Assert.Equal("bm25", result.GetProperty("mode").GetString());
        Assert.Equal("loan-guide.html#1", top.GetProperty("passageId").GetString());
        Assert.Equal("주택담보대출 안내 > 대출 한도", top.GetProperty("heading").GetString());
        Assert.StartsWith("주택담보대출의 한도는", top.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(top.GetProperty("score").GetDouble() > 0);
        var found = top.GetProperty("retrievers").EnumerateArray().Single();
        Assert.Equal("bm25", found.GetProperty("retriever").GetString());
        Assert.Equal(1, found.GetProperty("rank").GetInt32());

        // Korean stays readable in the response body.
        using var raw = await ChatbotAppliance.CallAsync(client, "search", new { kb = "금융상품", query = "투기과열지구", mode = "bm25" });
        Assert.Contains("투기과열지구", await raw.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_models_hybrid_search_falls_back_to_bm25_and_says_so_while_dense_and_ask_answer_503()
    {
        using var state = new StateFolder();
        var (appliance, client) = await StartAsync(state);
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var hybrid = await Search(client, "연회비 환불");
        Assert.Equal("bm25", hybrid.GetProperty("mode").GetString());
        Assert.Contains(hybrid.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("dense retrieval skipped", StringComparison.Ordinal));
        Assert.Equal("card-terms.txt", Documents(hybrid)[0]);

        using var dense = await ChatbotAppliance.CallAsync(client, "search", new { kb = "금융상품", query = "연회비", mode = "dense" });
        using var ask = await ChatbotAppliance.CallAsync(client, "ask", new { kb = "금융상품", question = "연회비를 돌려받을 수 있나요?" });
        using var askStream = await ChatbotAppliance.CallAsync(client, "ask_stream", new { kb = "금융상품", question = "연회비를 돌려받을 수 있나요?" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, dense.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ask.StatusCode);
        Assert.Equal("model_unavailable", (await ChatbotAppliance.ReadJsonAsync(ask)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, askStream.StatusCode);
        Assert.Equal("model_unavailable", (await ChatbotAppliance.ReadJsonAsync(askStream)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Hybrid_search_fuses_bm25_and_dense_from_separately_embedded_query_and_passages()
    {
        using var state = new StateFolder();
        var embedder = new HashedNGramEmbedder();
        var (appliance, client) = await StartAsync(state, new TestModels(new ExtractiveChatClient(), embedder));
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var result = await Search(client, "변동금리는 얼마마다 조정되나요", mode: "hybrid", limit: 5);

        Assert.Equal("hybrid", result.GetProperty("mode").GetString());
        var top = result.GetProperty("passages")[0];
        Assert.Equal("loan-guide.html#2", top.GetProperty("passageId").GetString());
        Assert.Equal(["bm25", "dense"], top.GetProperty("retrievers").EnumerateArray().Select(r => r.GetProperty("retriever").GetString()!).Order());
        var scores = result.GetProperty("passages").EnumerateArray().Select(p => p.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.True(top.GetProperty("score").GetDouble() <= 2.0 / 61, "an RRF score is at most 2/(60+1)");

        var passages = embedder.Inputs.Where(i => i.StartsWith("passage: ", StringComparison.Ordinal)).ToList();
        var queries = embedder.Inputs.Where(i => i.StartsWith("query: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(passages.Count + queries.Count, embedder.Inputs.Count);
        Assert.Equal(["query: 변동금리는 얼마마다 조정되나요"], queries);
        Assert.True(passages.Count >= 5);
    }

    [Fact]
    public async Task Ask_answers_with_citations_that_map_to_the_document_and_passage()
    {
        using var state = new StateFolder();
        var chat = new ExtractiveChatClient();
        var (appliance, client) = await StartAsync(state, new TestModels(chat, new HashedNGramEmbedder()));
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var answer = await ChatbotAppliance.CallOkAsync(client, "ask", new { kb = "금융상품", question = "예금자보호 한도는 1인당 얼마인가요?", sessionId = "상담-1" });

        Assert.False(answer.GetProperty("refused").GetBoolean());
        var cited = answer.GetProperty("citations").EnumerateArray().Select(c => c.GetInt32()).Single();
        Assert.Contains($"[{cited}]", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        var source = answer.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("number").GetInt32() == cited);
        Assert.Equal("deposit-protection.md", source.GetProperty("documentId").GetString());
        Assert.Equal("deposit-protection.md#2", source.GetProperty("passageId").GetString());
        Assert.Contains("최고 1억 원", source.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("예금자보호 한도는", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);

        // The prompt numbered the sources in long-context order and the conversation is kept for the next turn.
        Assert.Contains("[1] (", chat.Prompts.Single(), StringComparison.Ordinal);
        var followUp = await ChatbotAppliance.CallOkAsync(client, "ask", new { kb = "금융상품", question = "청구 기한은요?", sessionId = "상담-1" });
        Assert.Contains(followUp.GetProperty("sources").EnumerateArray(), s => s.GetProperty("passageId").GetString() == "deposit-protection.md#3");
    }

    [Fact]
    public async Task Ask_stream_sends_the_sources_first_then_the_answer_as_it_is_written_then_the_cited_response()
    {
        using var state = new StateFolder();
        var (appliance, client) = await StartAsync(state, new TestModels(new ExtractiveChatClient(), new HashedNGramEmbedder()));
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var events = await ChatbotAppliance.StreamOkAsync(client, "ask_stream", new { kb = "금융상품", question = "예금자보호 한도는 1인당 얼마인가요?" });

        Assert.Equal("sources", events[0].GetProperty("kind").GetString());
        Assert.Equal("answer", events[^1].GetProperty("kind").GetString());
        var deltas = events.Skip(1).SkipLast(1).ToList();
        Assert.True(deltas.Count > 1, "the answer arrives in pieces");
        Assert.All(deltas, d => Assert.Equal("delta", d.GetProperty("kind").GetString()));
        var answer = events[^1].GetProperty("answer");
        Assert.False(answer.GetProperty("refused").GetBoolean());
        Assert.Equal(answer.GetProperty("answer").GetString(), string.Concat(deltas.Select(d => d.GetProperty("text").GetString())));
        var cited = answer.GetProperty("citations").EnumerateArray().Select(c => c.GetInt32()).Single();
        var source = events[0].GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("number").GetInt32() == cited);
        Assert.Equal("deposit-protection.md#2", source.GetProperty("passageId").GetString());
        Assert.Equal(events[0].GetProperty("sources").GetRawText(), answer.GetProperty("sources").GetRawText());
    }

    [Fact]
    public async Task Ask_stream_never_streams_the_refusal_marker_and_refuses_in_its_last_event()
    {
        using var state = new StateFolder();
        var chat = new ExtractiveChatClient();
        var (appliance, client) = await StartAsync(state, new TestModels(chat, new HashedNGramEmbedder()));
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        // Retrieval finds the loan guide by "LTV", but the test model sees no Korean in common and answers the marker.
        var events = await ChatbotAppliance.StreamOkAsync(client, "ask_stream", new { kb = "금융상품", question = "LTV?", mode = "bm25" });

        Assert.Single(chat.Prompts);
        Assert.Equal(["sources", "answer"], events.Select(e => e.GetProperty("kind").GetString()!));
        var answer = events[^1].GetProperty("answer");
        Assert.True(answer.GetProperty("refused").GetBoolean());
        Assert.Equal("제공된 문서에서 해당 내용을 찾을 수 없습니다.", answer.GetProperty("answer").GetString());

        // Weak retrieval refuses before the model is asked: the refusal is the only event.
        var weak = await ChatbotAppliance.StreamOkAsync(client, "ask_stream", new { kb = "금융상품", question = "화성 탐사선 발사 일정은?" });
        Assert.True(weak.Single().GetProperty("answer").GetProperty("refused").GetBoolean());
        Assert.Single(chat.Prompts);
    }

    [Fact]
    public async Task Through_the_cpu_engine_ask_stream_joins_to_the_same_answer_ask_gives()
    {
        using var state = new StateFolder();
        using var model = TinyModel.Create(TinyModelSpec.Llama3 with { MaxPositions = 4096 });
        await ChatbotAppliance.ImportModelAsync(state, model.Folder, "tiny-llama");
        var settings = new Dictionary<string, string?>
        {
            ["Models:Deployments:tiny:Model"] = "tiny-llama",
            ["Models:Deployments:tiny:Roles:0"] = "chat",
            ["Models:Deployments:tiny:Threads"] = "1",
            ["Agents:nlps.chatbot:answerPassages"] = "2",
            ["Agents:nlps.chatbot:maxAnswerTokens"] = "24",
        };
        var (appliance, client) = await StartAsync(state, settings: settings);
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });
        var question = new { kb = "금융상품", question = "예금자보호 한도는 1인당 얼마인가요?" };

        var unary = await ChatbotAppliance.CallOkAsync(client, "ask", question);
        var events = await ChatbotAppliance.StreamOkAsync(client, "ask_stream", question);

        // A random-weight model writes nonsense, but greedily: the same prompt gives the same text both ways.
        var streamed = events[^1].GetProperty("answer");
        Assert.Equal("sources", events[0].GetProperty("kind").GetString());
        Assert.Equal(2, events[0].GetProperty("sources").GetArrayLength());
        Assert.Equal(unary.GetProperty("answer").GetString(), streamed.GetProperty("answer").GetString());
        Assert.Equal(unary.GetProperty("refused").GetBoolean(), streamed.GetProperty("refused").GetBoolean());
        Assert.Equal(unary.GetProperty("sources").GetRawText(), streamed.GetProperty("sources").GetRawText());
        if (!streamed.GetProperty("refused").GetBoolean())
        {
            var text = string.Concat(events.Where(e => e.GetProperty("kind").GetString() == "delta").Select(e => e.GetProperty("text").GetString()));
            Assert.Equal(streamed.GetProperty("answer").GetString(), text.Trim());
        }
    }

    [Fact]
    public async Task Ask_refuses_without_calling_the_model_when_retrieval_finds_nothing_relevant()
    {
        using var state = new StateFolder();
        var chat = new ExtractiveChatClient();
        var (appliance, client) = await StartAsync(state, new TestModels(chat, new HashedNGramEmbedder()));
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var answer = await ChatbotAppliance.CallOkAsync(client, "ask", new { kb = "금융상품", question = "화성 탐사선 발사 일정은?" });

        Assert.True(answer.GetProperty("refused").GetBoolean());
        Assert.Equal("제공된 문서에서 해당 내용을 찾을 수 없습니다.", answer.GetProperty("answer").GetString());
        Assert.Empty(answer.GetProperty("citations").EnumerateArray());
        Assert.Empty(chat.Prompts);
    }

    [Fact]
    public async Task Reingesting_skips_unchanged_documents_and_replaces_changed_ones_without_leftovers()
    {
        using var state = new StateFolder();
        var (appliance, client) = await StartAsync(state);
        await using var _ = appliance;
        using var __ = client;
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments() });

        var changed = Upload("card-terms.txt", Encoding.UTF8.GetBytes("개정 약관\n\n해외 결제 수수료는 결제 금액의 1%입니다."));
        var again = await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents = GoodDocuments().Take(4).Where(d => !JsonSerializer.Serialize(d).Contains("card-terms", StringComparison.Ordinal)).Append(changed).ToArray() });

        Assert.Equal(3, again.GetProperty("skipped").GetInt32());
        Assert.Equal(1, again.GetProperty("ingested").GetInt32());
        Assert.Empty((await Search(client, "연회비", mode: "bm25")).GetProperty("passages").EnumerateArray());
        Assert.Equal("card-terms.txt", Documents(await Search(client, "해외 결제 수수료", mode: "bm25"))[0]);

        var deleted = await ChatbotAppliance.CallOkAsync(client, "document_delete", new { kb = "금융상품", documentId = "card-terms.txt" });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.DoesNotContain("card-terms.txt", Documents(await Search(client, "해외 결제 수수료", mode: "bm25")));
    }

    [Fact]
    public async Task An_ingestion_job_interrupted_by_a_restart_resumes_and_stores_each_document_exactly_once()
    {
        using var state = new StateFolder();
        var documents = Notices(40);
        string jobId;
        var (first, firstClient) = await StartAsync(state);
        await using (first)
        {
            using (firstClient)
            {
                var started = await ChatbotAppliance.CallOkAsync(firstClient, "ingest", new { kb = "금융상품", documents });
                jobId = started.GetProperty("jobId").GetString()!;
                Assert.Equal("running", started.GetProperty("state").GetString());
            }
        }

        // nlpsd stopped while (or after) the job ran; the next start resumes it.
        var (second, client) = await StartAsync(state, install: false);
        await using var _ = second;
        using var __ = client;
        JsonElement job;
        do
        {
            job = await ChatbotAppliance.CallOkAsync(client, "ingest_status", new { jobId });
            await Task.Yield();
        }
        while (job.GetProperty("state").GetString() == "running");

        Assert.Equal(40, job.GetProperty("processed").GetInt32());
        Assert.Equal(0, job.GetProperty("failed").GetInt32());
        var kb = (await ChatbotAppliance.CallOkAsync(client, "kb_list", new { kb = "" })).GetProperty("knowledgeBases")[0];
        Assert.Equal(40, kb.GetProperty("documents").GetInt32());
        Assert.Equal(40, kb.GetProperty("chunks").GetInt32());
        var hit = (await Search(client, "지점번호 39595", mode: "bm25")).GetProperty("passages")[0];
        Assert.Equal("공지-05.txt", hit.GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task A_cancelled_ingestion_stops_after_what_is_done_and_ingesting_again_finishes_it_skipping_those()
    {
        using var state = new StateFolder();
        var embedder = new GatedEmbedder(new HashedNGramEmbedder(), passingCalls: 3);
        var (appliance, client) = await StartAsync(state, new TestModels(new ExtractiveChatClient(), embedder));
        await using var _ = appliance;
        using var __ = client;
        var documents = Notices(10);

        var started = await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", documents });
        var jobId = started.GetProperty("jobId").GetString()!;
        await embedder.Held.WaitAsync(TimeSpan.FromMinutes(2));
        var cancelled = await ChatbotAppliance.CallOkAsync(client, "ingest_cancel", new { jobId });

        // Each notice is one chunk, one embedding call: three documents went through, the fourth was held mid-way.
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal(3, cancelled.GetProperty("processed").GetInt32());
        Assert.Equal(3, cancelled.GetProperty("ingested").GetInt32());
        Assert.Equal(7, cancelled.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("status").GetString() == "pending"));
        Assert.Contains(cancelled.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("cancelled after 3 of 10 documents", StringComparison.Ordinal));
        Assert.Equal(cancelled.GetRawText(), (await ChatbotAppliance.CallOkAsync(client, "ingest_status", new { jobId })).GetRawText());
        Assert.Equal(3, (await KnowledgeBase(client)).GetProperty("documents").GetInt32());

        embedder.Open();
        var rerun = await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "금융상품", wait = true, documents });
        Assert.Equal(3, rerun.GetProperty("skipped").GetInt32());
        Assert.Equal(7, rerun.GetProperty("ingested").GetInt32());
        var kb = await KnowledgeBase(client);
        Assert.Equal(10, kb.GetProperty("documents").GetInt32());
        Assert.Equal(10, kb.GetProperty("chunks").GetInt32());
        Assert.Equal(10, kb.GetProperty("vectors").GetInt32());

        // Cancelling a job that already ended changes nothing.
        var ended = await ChatbotAppliance.CallOkAsync(client, "ingest_cancel", new { jobId = rerun.GetProperty("jobId").GetString() });
        Assert.Equal("completed", ended.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Bad_requests_get_problem_documents_with_stable_codes()
    {
        using var state = new StateFolder();
        var (appliance, client) = await StartAsync(state);
        await using var _ = appliance;
        using var __ = client;

        await AssertProblem(client, "kb_create", new { kb = "bad name!" }, HttpStatusCode.BadRequest, "invalid_kb_name");
        await AssertProblem(client, "search", new { kb = "없는지식베이스", query = "금리" }, HttpStatusCode.NotFound, "kb_not_found");
        await AssertProblem(client, "search", new { kb = "금융상품", query = "금리", mode = "magic" }, HttpStatusCode.BadRequest, "invalid_mode");
        await AssertProblem(client, "search", new { kb = "금융상품", query = "  " }, HttpStatusCode.BadRequest, "empty_query");
        await AssertProblem(client, "ingest", new { kb = "금융상품", documents = Array.Empty<object>() }, HttpStatusCode.BadRequest, "no_documents");
        await AssertProblem(client, "ingest_status", new { jobId = "nope" }, HttpStatusCode.NotFound, "job_not_found");
        await AssertProblem(client, "ingest_cancel", new { jobId = "nope" }, HttpStatusCode.NotFound, "job_not_found");
    }

    private static object[] Notices(int count) => Enumerable.Range(1, count)
        .Select(i => Upload($"공지-{i:D2}.txt", Encoding.UTF8.GetBytes($"공지 {i}\n\n{i}번 지점의 영업시간은 오전 9시부터 오후 {i % 5 + 3}시까지입니다. 지점번호 {i * 7919}.")))
        .ToArray();

    private static async Task<JsonElement> KnowledgeBase(HttpClient client) =>
        (await ChatbotAppliance.CallOkAsync(client, "kb_list", new { kb = "" })).GetProperty("knowledgeBases")[0];

    private static async Task AssertProblem(HttpClient client, string operation, object body, HttpStatusCode status, string code)
    {
        using var response = await ChatbotAppliance.CallAsync(client, operation, body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await ChatbotAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    private static Task<JsonElement> Search(HttpClient client, string query, string mode = "hybrid", int limit = 5) =>
        ChatbotAppliance.CallOkAsync(client, "search", new { kb = "금융상품", query, mode, limit });
}
