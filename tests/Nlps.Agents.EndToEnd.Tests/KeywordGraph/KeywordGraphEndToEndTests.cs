using System.Net;
using System.Xml.Linq;
using Nlps.Agents.EndToEnd.Tests.Support;
using Nlps.Agents.TestModels;

namespace Nlps.Agents.EndToEnd.Tests.KeywordGraph;

public sealed class KeywordGraphEndToEndTests
{
    private const string Project = "Nlps.Agents.KeywordGraph";
    private const string Agent = "nlps.keyword-graph";

    private static readonly object[] Documents =
    [
        new { id = "customs-1", text = "관세청은 수입물품의 원산지를 확인한다.\n\n원산지 증명서는 자유무역협정 세율 적용에 필요하다." },
        new { id = "customs-2", text = "자유무역협정에 따라 관세가 감면된다.\n\n관세 감면을 받으려면 원산지 증명서를 제출해야 한다." },
        new { id = "customs-3", text = "수입신고는 관세청에 전자로 한다.\n\n수입신고 후 관세를 납부한다." },
    ];

    [Fact]
    public async Task Ingested_documents_build_a_graph_that_answers_neighbours_paths_related_and_export()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "dictionary_import", new { format = "tsv", content = "원산지 증명서\tcertificate of origin\n자유무역협정\tFTA\n관세청\tKorea Customs Service\n" });

        var (status, ingested) = await AgentAppliance.CallAsync(client, Agent, "ingest", new { documents = Documents });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, ingested.GetProperty("documents").GetInt32());
        Assert.Equal(6, ingested.GetProperty("passages").GetInt32());

        var (_, neighbours) = await AgentAppliance.CallAsync(client, Agent, "neighbours", new { keyword = "원산지 증명서" });
        Assert.Equal(2, neighbours.GetProperty("frequency").GetInt32());
        Assert.Contains(neighbours.GetProperty("neighbours").EnumerateArray(), n => n.GetProperty("keyword").GetString() == "자유무역협정");

        var (_, path) = await AgentAppliance.CallAsync(client, Agent, "path", new { from = "원산지 증명서", to = "수입신고" });
        Assert.True(path.GetProperty("found").GetBoolean());
        var hops = path.GetProperty("path").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal("원산지 증명서", hops[0]);
        Assert.Equal("수입신고", hops[^1]);

        var (_, related) = await AgentAppliance.CallAsync(client, Agent, "related", new { text = "자유무역협정 세율은 어떻게 적용되나요?" });
        Assert.Contains("자유무역협정", related.GetProperty("seeds").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEmpty(related.GetProperty("related").EnumerateArray());

        var (_, export) = await AgentAppliance.CallAsync(client, Agent, "export", new { keyword = "관세청", depth = 2 });
        var graphml = XDocument.Parse(export.GetProperty("graphMl").GetString()!);
        XNamespace ns = "http://graphml.graphdrawing.org/xmlns";
        Assert.Equal(export.GetProperty("nodes").GetArrayLength(), graphml.Descendants(ns + "node").Count());
        Assert.Equal(export.GetProperty("edges").GetArrayLength(), graphml.Descendants(ns + "edge").Count());
        Assert.Contains(graphml.Descendants(ns + "node"), n => (string?)n.Attribute("id") == "관세청");
    }

    [Fact]
    public async Task Reingesting_a_document_replaces_its_contribution()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "ingest", new { documents = Documents });

        var (_, again) = await AgentAppliance.CallAsync(client, Agent, "ingest", new { documents = new[] { new { id = "customs-3", text = "수입신고는 관세청에 한다." } } });

        Assert.Equal(3, again.GetProperty("documents").GetInt32());
        Assert.Equal(5, again.GetProperty("passages").GetInt32());
    }

    [Fact]
    public async Task Model_extraction_answers_503_without_a_chat_model_and_bad_input_gets_clear_problems()
    {
        await using var appliance = new AgentAppliance();
        using var client = await appliance.InstallAsync(Project);

        var (model, modelProblem) = await AgentAppliance.CallAsync(client, Agent, "extract", new { text = "관세청은 원산지를 확인한다.", useModel = true });
        var (ingestModel, ingestProblem) = await AgentAppliance.CallAsync(client, Agent, "ingest", new { documents = Documents, useModel = true });
        var (blank, blankProblem) = await AgentAppliance.CallAsync(client, Agent, "extract", new { text = "" });
        var (badDictionary, dictionaryProblem) = await AgentAppliance.CallAsync(client, Agent, "dictionary_import", new { format = "json", content = "[\"관세\"]" });
        var (missing, missingProblem) = await AgentAppliance.CallAsync(client, Agent, "export", new { keyword = "없는키워드" });
        var (noDocuments, noDocumentsProblem) = await AgentAppliance.CallRawAsync(client, Agent, "ingest", "{\"documents\":[]}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, model);
        Assert.Equal("model_unavailable", modelProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ingestModel);
        Assert.Equal("model_unavailable", ingestProblem.GetProperty("code").GetString());
        Assert.Equal("text_required", blankProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, blank);
        Assert.Equal("import_invalid", dictionaryProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badDictionary);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("keyword_not_found", missingProblem.GetProperty("code").GetString());
        Assert.Equal("documents_required", noDocumentsProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noDocuments);
        var (_, after) = await AgentAppliance.CallAsync(client, Agent, "ingest", new { documents = Documents });
        Assert.Equal(3, after.GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task Model_keywords_and_relations_are_validated_before_they_are_used()
    {
        // The double answers keyword prompts with one real and one invented keyword, and relation prompts with one
        // allowed relation and one whose type the guidelines do not allow.
        var chat = new ScriptedChatClient((_, prompt) => prompt.Contains("\"relations\"", StringComparison.Ordinal)
            ? "Here you go: {\"relations\": [{\"subject\": \"관세청\", \"relation\": \"regulates\", \"object\": \"원산지\"}, {\"subject\": \"관세청\", \"relation\": \"loves\", \"object\": \"원산지\"}]}"
            : "```json\n{\"keywords\": [\"수입물품\", \"우주정거장\"]}\n```");
        await using var appliance = new AgentAppliance(new TestModelRoles(chat, embed: null));
        using var client = await appliance.InstallAsync(Project);

        var (_, extracted) = await AgentAppliance.CallAsync(client, Agent, "extract", new { text = "관세청은 수입물품의 원산지를 확인한다.", useModel = true });
        var (_, ingested) = await AgentAppliance.CallAsync(client, Agent, "ingest", new { documents = new[] { new { id = "d", text = "관세청은 수입물품의 원산지를 확인한다." } }, useModel = true });
        var (_, neighbours) = await AgentAppliance.CallAsync(client, Agent, "neighbours", new { keyword = "관세청" });

        Assert.Equal("used", extracted.GetProperty("llm").GetString());
        var keywords = extracted.GetProperty("keywords").EnumerateArray().ToList();
        Assert.Contains(keywords, k => k.GetProperty("keyword").GetString() == "수입물품" && k.GetProperty("methods").EnumerateArray().Any(m => m.GetString() == "llm"));
        Assert.DoesNotContain(keywords, k => k.GetProperty("keyword").GetString() == "우주정거장");
        Assert.Equal(1, ingested.GetProperty("relations").GetInt32());
        Assert.Equal(1, ingested.GetProperty("rejectedRelations").GetInt32());
        Assert.Equal("regulates", Assert.Single(neighbours.GetProperty("relations").EnumerateArray()).GetProperty("relation").GetString());
    }
}
