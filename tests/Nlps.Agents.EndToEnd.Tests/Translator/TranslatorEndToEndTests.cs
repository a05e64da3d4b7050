using System.Net;
using System.Text.Json;
using Nlps.Agents.EndToEnd.Tests.Support;
using Nlps.Agents.TestModels;
using Nlps.Testing;

namespace Nlps.Agents.EndToEnd.Tests.Translator;

public sealed class TranslatorEndToEndTests
{
    private const string Project = "Nlps.Agents.Translator";
    private const string Agent = "nlps.translator";

    private const string GlossaryJson = """
        {
          "금융실명제": "real-name financial transaction system",
          "외국환거래법": "Foreign Exchange Transactions Act",
          "금융위원회": "Financial Services Commission",
          "실명제": "real-name system"
        }
        """;

    [Fact]
    public async Task A_json_glossary_is_imported_and_terms_are_found_with_particles_attached()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);

        var (status, imported) = await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = GlossaryJson });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, imported.GetProperty("added").GetInt32());

        var (_, found) = await AgentAppliance.CallAsync(client, Agent, "extract_keywords", new { text = "금융실명제는 1993년에 시행되었고, 금융위원회가 외국환거래법을 소관한다." });

        var terms = found.GetProperty("terms").EnumerateArray().ToList();
        Assert.Equal(["금융실명제", "금융위원회", "외국환거래법"], terms.Select(t => t.GetProperty("korean").GetString()));
        Assert.Equal("금융실명제는", terms[0].GetProperty("surface").GetString());
        Assert.Equal("real-name financial transaction system", terms[0].GetProperty("english").GetString());
        Assert.Equal(0, terms[0].GetProperty("start").GetInt32());
        Assert.Equal("외국환거래법을", terms[2].GetProperty("surface").GetString());
    }

    [Fact]
    public async Task A_malformed_glossary_file_is_refused_with_its_line_and_the_glossary_is_unchanged()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = GlossaryJson });

        var (jsonStatus, jsonProblem) = await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = "{\n  \"예금자보호\": \"deposit insurance\",\n  \"환매조건부채권\": 17\n}", mode = "replace" });
        var (tsvStatus, tsvProblem) = await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "tsv", content = "한국어\t영어\n예금자보호\tdeposit insurance\n환매조건부채권\n", mode = "replace" });

        Assert.Equal(HttpStatusCode.BadRequest, jsonStatus);
        Assert.Equal("import_invalid", jsonProblem.GetProperty("code").GetString());
        Assert.Contains("line 3", jsonProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("import_invalid", tsvProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tsvStatus);
        Assert.Contains("line 3", tsvProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (_, list) = await AgentAppliance.CallAsync(client, Agent, "glossary_list", new { });
        Assert.Equal(4, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_xlsx_glossary_imports_and_a_file_that_is_not_one_is_refused()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);
        var workbook = Xlsx.Build(("한국어", "English"), ("자본시장법", "Financial Investment Services and Capital Markets Act"), ("공시", "disclosure"));

        var (status, imported) = await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "xlsx", contentBase64 = Convert.ToBase64String(workbook) });
        var (badStatus, problem) = await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "xlsx", contentBase64 = Convert.ToBase64String("이것은 엑셀 파일이 아니다"u8.ToArray()) });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, imported.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("import_invalid", problem.GetProperty("code").GetString());
        Assert.Contains("not an .xlsx workbook", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (_, list) = await AgentAppliance.CallAsync(client, Agent, "glossary_list", new { query = "공시" });
        Assert.Equal("disclosure", Assert.Single(list.GetProperty("entries").EnumerateArray()).GetProperty("english").GetString());
    }

    [Fact]
    public async Task Glossary_terms_are_added_updated_and_deleted_with_clear_conflicts()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);

        var (added, _) = await AgentAppliance.CallAsync(client, Agent, "glossary_add", new { korean = "공매도", english = "short selling" });
        var (duplicate, duplicateProblem) = await AgentAppliance.CallAsync(client, Agent, "glossary_add", new { korean = "공매도", english = "short sale" });
        var (updated, entry) = await AgentAppliance.CallAsync(client, Agent, "glossary_update", new { korean = "공매도", english = "short sale" });
        var (deleted, _) = await AgentAppliance.CallAsync(client, Agent, "glossary_delete", new { korean = "공매도" });
        var (missing, missingProblem) = await AgentAppliance.CallAsync(client, Agent, "glossary_delete", new { korean = "공매도" });

        Assert.Equal(HttpStatusCode.OK, added);
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.Equal("glossary_term_exists", duplicateProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("short sale", entry.GetProperty("english").GetString());
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("glossary_term_not_found", missingProblem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bad_texts_get_clear_problems_an_empty_glossary_a_blank_text_and_oversized_requests()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);

        var (emptyGlossary, emptyProblem) = await AgentAppliance.CallAsync(client, Agent, "extract_keywords", new { text = "금융실명제" });
        await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = GlossaryJson });
        var (blank, blankProblem) = await AgentAppliance.CallAsync(client, Agent, "extract_keywords", new { text = "   " });
        var (tooLong, tooLongProblem) = await AgentAppliance.CallAsync(client, Agent, "translate", new { text = new string('가', 100_001) });
        var (tenMegabytes, tenMegabytesProblem) = await AgentAppliance.CallAsync(client, Agent, "extract_keywords", new { text = new string('a', 10 * 1024 * 1024) });
        var (emptyFile, emptyFileProblem) = await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "tsv", content = "# nothing here\n\n" });

        Assert.Equal(HttpStatusCode.Conflict, emptyGlossary);
        Assert.Equal("glossary_empty", emptyProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, blank);
        Assert.Equal("text_required", blankProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong);
        Assert.Equal("text_too_long", tooLongProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tenMegabytes);
        Assert.Equal("request_too_large", tenMegabytesProblem.GetProperty("code").GetString());
        Assert.Equal("import_empty", emptyFileProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, emptyFile);
        var (_, list) = await AgentAppliance.CallAsync(client, Agent, "glossary_list", new { });
        Assert.Equal(4, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Model_dependent_operations_answer_503_model_unavailable_when_no_model_is_deployed()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "approve", new { source = "금융실명제를 시행한다.", translation = "The real-name financial transaction system is implemented." });

        var (translate, translateProblem) = await AgentAppliance.CallAsync(client, Agent, "translate", new { text = "금융실명제를 시행한다." });
        var (stream, streamProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_stream", new { text = "금융실명제를 시행한다." });
        var (search, searchProblem) = await AgentAppliance.CallAsync(client, Agent, "memory_search", new { text = "금융실명제" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, translate);
        Assert.Equal("model_unavailable", translateProblem.GetProperty("code").GetString());
        Assert.Contains("'chat'", translateProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stream);
        Assert.Equal("model_unavailable", streamProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, search);
        Assert.Contains("'embed'", searchProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_applies_mandated_terms_and_memory_examples_and_reports_compliance()
    {
        var chat = ScriptedChatClient.ObeysOnlyWhenRetried();
        await using var appliance = new AgentAppliance(new TestModelRoles(chat, new HashingEmbeddingGenerator()));
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = GlossaryJson });
        await AgentAppliance.CallAsync(client, Agent, "memory_import", new { format = "tsv", content = "외국환거래법 위반 사례가 적발되었다.\tViolations of the Foreign Exchange Transactions Act were detected.\n주가가 3.5% 상승했다.\tThe share price rose 3.5%.\n" });

        var (status, result) = await AgentAppliance.CallAsync(client, Agent, "translate", new { text = "금융실명제는 1993년에 시행되었다.\n\n외국환거래법 위반은 2024년에 120건이었다." });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("used", result.GetProperty("memory").GetString());
        var segments = result.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(2, segments.Count);
        Assert.All(segments, s => Assert.True(s.GetProperty("retried").GetBoolean()));
        Assert.All(segments, s => Assert.Empty(s.GetProperty("missingTerms").EnumerateArray()));
        Assert.Contains("real-name financial transaction system", segments[0].GetProperty("translation").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, segments[1].GetProperty("exampleIds")[0].GetInt64());
        var compliance = result.GetProperty("compliance");
        Assert.Equal(2, compliance.GetProperty("mandated").GetInt32());
        Assert.Equal(1.0, compliance.GetProperty("rate").GetDouble());
        Assert.Contains("\n\n", result.GetProperty("translation").GetString(), StringComparison.Ordinal);
        Assert.Contains(chat.Prompts, p => p.Contains("외국환거래법 => Foreign Exchange Transactions Act", StringComparison.Ordinal) && p.Contains("Violations of the Foreign Exchange", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_retry_missed_terms_are_reported_and_the_stream_ends_with_the_report()
    {
        await using var appliance = new AgentAppliance(new TestModelRoles(ScriptedChatClient.ObeysOnlyWhenRetried(), embed: null));
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = GlossaryJson });

        var events = await AgentAppliance.StreamAsync(client, Agent, "translate_stream", new { text = "금융위원회가 발표했다. 금융실명제를 강화한다.", retry = false, examples = 0 });

        var items = events.Split("\n\n").Where(e => e.StartsWith("data: {\"kind\"", StringComparison.Ordinal)).Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.Equal(["segment", "segment", "summary"], items.Select(i => i.GetProperty("kind").GetString()));
        var compliance = items[2].GetProperty("summary").GetProperty("compliance");
        Assert.Equal(0.0, compliance.GetProperty("rate").GetDouble());
        Assert.Equal(["금융위원회", "금융실명제"], compliance.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("korean").GetString()));
        Assert.EndsWith("event: done\ndata: {}\n\n", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_search_ranks_the_most_similar_approved_pair_first()
    {
        await using var appliance = new AgentAppliance(new TestModelRoles(chat: null, new HashingEmbeddingGenerator()));
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "approve", new { source = "주가가 3.5% 상승했다.", translation = "The share price rose 3.5%." });
        await AgentAppliance.CallAsync(client, Agent, "approve", new { source = "금융실명제 위반으로 과태료가 부과되었다.", translation = "A fine was imposed for violating the real-name financial transaction system." });
        await AgentAppliance.CallAsync(client, Agent, "approve", new { source = "환율이 하락했다.", translation = "The exchange rate fell." });

        var (status, result) = await AgentAppliance.CallAsync(client, Agent, "memory_search", new { text = "금융실명제 위반에 과태료를 부과했다.", k = 2 });

        Assert.Equal(HttpStatusCode.OK, status);
        var hits = result.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(2, hits.Count);
        Assert.Equal(2, hits[0].GetProperty("id").GetInt64());
        Assert.True(hits[0].GetProperty("score").GetSingle() > hits[1].GetProperty("score").GetSingle());
    }

    [Fact]
    public async Task Memory_embeddings_are_kept_in_the_agents_vector_store_so_a_restart_embeds_only_new_pairs()
    {
        using var state = new TempFolder("nlps-translator-memory");
        var embed = new HashingEmbeddingGenerator();
        await using (var first = new AgentAppliance(new TestModelRoles(chat: null, embed), state: state))
        {
            using var client = await first.InstallAsync(Project);
            await AgentAppliance.CallAsync(client, Agent, "memory_import", new { format = "tsv", content = "주가가 3.5% 상승했다.\tThe share price rose 3.5%.\n금융실명제 위반으로 과태료가 부과되었다.\tA fine was imposed for violating the real-name financial transaction system.\n환율이 하락했다.\tThe exchange rate fell.\n" });
            var (_, found) = await AgentAppliance.CallAsync(client, Agent, "memory_search", new { text = "금융실명제 위반에 과태료를 부과했다.", k = 1 });
            Assert.Equal(2, found.GetProperty("hits")[0].GetProperty("id").GetInt64());
            Assert.Equal(2, embed.Calls); // the query, then the three pairs in one batch
        }

        await using var second = new AgentAppliance(new TestModelRoles(chat: null, embed), state: state);
        using var again = second.CreateAdminClient();
        var (status, result) = await AgentAppliance.CallAsync(again, Agent, "memory_search", new { text = "금융실명제 위반에 과태료를 부과했다.", k = 1 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, result.GetProperty("hits")[0].GetProperty("id").GetInt64());
        Assert.Equal(3, embed.Calls); // only the query: the stored pairs were not embedded again

        await AgentAppliance.CallAsync(again, Agent, "approve", new { source = "환율이 급등했다.", translation = "The exchange rate surged." });
        var (_, latest) = await AgentAppliance.CallAsync(again, Agent, "memory_search", new { text = "환율이 급등했다.", k = 1 });
        Assert.Equal(4, latest.GetProperty("hits")[0].GetProperty("id").GetInt64());
        Assert.Equal(5, embed.Calls); // the query and the one new pair
    }
}
