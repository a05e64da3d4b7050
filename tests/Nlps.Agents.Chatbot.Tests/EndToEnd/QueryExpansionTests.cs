using System.Text;
using System.Text.Json;
using Nlps.Agents.Chatbot.Tests.Support;

namespace Nlps.Agents.Chatbot.Tests.EndToEnd;

/// <summary>The chatbot expanding BM25 queries with the keyword graph agent, called agent to agent through the SDK inside one appliance.</summary>
public sealed class QueryExpansionTests
{
    private static readonly object[] GraphDocuments =
    [
        new { id = "customs-1", text = "관세청은 수입물품의 원산지를 확인한다.\n\n원산지 증명서는 자유무역협정 세율 적용에 필요하다." },
        new { id = "customs-2", text = "자유무역협정에 따라 관세가 감면된다.\n\n관세 감면을 받으려면 원산지 증명서를 제출해야 한다." },
        new { id = "customs-3", text = "수입신고는 관세청에 전자로 한다.\n\n수입신고 후 관세를 납부한다." },
    ];

    private const string Question = "자유무역협정 세율은 어떻게 적용되나요?";

    private static object Guide => new
    {
        name = "통관-안내.md",
        contentBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("# 통관 안내\n\n## 협정 세율\n\n협정 세율을 적용받으려면 원산지 증명서를 갖추어야 합니다.\n\n## 신고\n\n수입신고는 전자 신고로 합니다.")),
    };

    [Fact]
    public async Task Search_adds_the_keyword_graphs_related_keywords_and_goes_on_without_them_when_the_graph_is_not_there()
    {
        using var state = new StateFolder();
        await using var appliance = new ChatbotAppliance(state);
        using var client = appliance.CreateAdminClient();
        await appliance.InstallChatbotAsync(client);
        await ChatbotAppliance.CallOkAsync(client, "kb_create", new { kb = "통관" });
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "통관", wait = true, documents = new[] { Guide } });

        // No keyword graph installed yet: the search still answers and says why it was not expanded.
        var alone = await Search(client, expand: true);
        Assert.Empty(alone.GetProperty("expansion").EnumerateArray());
        Assert.Contains(Notes(alone), n => n == "query expansion skipped: agent 'nlps.keyword-graph' is not installed or not running");

        await appliance.InstallAsync(client, "Nlps.Agents.KeywordGraph");
        await CallGraphAsync(client, "dictionary_import", new { format = "tsv", content = "원산지 증명서\tcertificate of origin\n자유무역협정\tFTA\n관세청\tKorea Customs Service\n" });
        await CallGraphAsync(client, "ingest", new { documents = GraphDocuments });
        var related = (await CallGraphAsync(client, "related", new { text = Question, limit = 6 })).GetProperty("related").EnumerateArray()
            .Select(r => r.GetProperty("keyword").GetString()!)
            .Where(k => !Question.Contains(k, StringComparison.Ordinal))
            .Take(3)
            .ToList();
        Assert.Contains("원산지 증명서", related);

        var expanded = await Search(client, expand: true);
        Assert.Equal(related, expanded.GetProperty("expansion").EnumerateArray().Select(e => e.GetString()!));
        Assert.Contains(Notes(expanded), n => n == $"query expanded with {string.Join(", ", related)} (nlps.keyword-graph)");
        Assert.Equal("통관-안내.md#1", expanded.GetProperty("passages")[0].GetProperty("passageId").GetString());
        var plain = await Search(client, expand: false);
        Assert.Empty(plain.GetProperty("expansion").EnumerateArray());
        Assert.True(
            expanded.GetProperty("passages")[0].GetProperty("score").GetDouble() > plain.GetProperty("passages")[0].GetProperty("score").GetDouble(),
            "the related keyword 원산지 증명서 is in the passage, so the expanded query scores it higher");
    }

    [Fact]
    public async Task An_agent_the_manifest_does_not_permit_is_never_called()
    {
        using var state = new StateFolder();
        await using var appliance = new ChatbotAppliance(state, settings: new Dictionary<string, string?> { ["Agents:nlps.chatbot:expansionAgent"] = "nlps.analysis" });
        using var client = appliance.CreateAdminClient();
        await appliance.InstallChatbotAsync(client);
        await ChatbotAppliance.CallOkAsync(client, "kb_create", new { kb = "통관" });
        await ChatbotAppliance.CallOkAsync(client, "ingest", new { kb = "통관", wait = true, documents = new[] { Guide } });

        var result = await Search(client, expand: true);

        Assert.Contains(Notes(result), n => n == "query expansion skipped: nlps.chatbot may not call nlps.analysis: its plugin.json does not list the permission 'agents:nlps.analysis'");
        Assert.NotEmpty(result.GetProperty("passages").EnumerateArray());
    }

    private static Task<JsonElement> Search(HttpClient client, bool expand) =>
        ChatbotAppliance.CallOkAsync(client, "search", new { kb = "통관", query = Question, mode = "bm25", expand });

    private static IEnumerable<string> Notes(JsonElement search) => search.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!);

    private static async Task<JsonElement> CallGraphAsync(HttpClient client, string operation, object body)
    {
        using var response = await client.PostAsync(
            new Uri($"/v1/agents/nlps.keyword-graph/{operation}", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
