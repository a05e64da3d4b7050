using System.Text.Json;
using System.Text.Json.Nodes;
using Nlps.Cli.Client;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Profiles;
using Nlps.Provisioning.Reports;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// The factory acceptance run: real requests to the provisioned box. Each agent is listed and running; its
/// <c>self_test</c> operation runs where it has one, then every request the profile lists for it; <c>/v1/models</c> lists
/// every deployment; each deployment serving the chat role answers one <c>/v1/chat/completions</c> request.
/// </summary>
internal sealed class AcceptanceRun(AdminClient client, CustomerProfile profile, IReadOnlyList<VerifiedPlugin> plugins)
{
    public const string SelfTestOperation = "self_test";

    public async Task<IReadOnlyList<AcceptanceResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<AcceptanceResult>();
        if (plugins.Count > 0)
        {
            (AcceptanceResult listed, JsonElement agents) = await CallAsync("agents listed", "GET /v1/agents", () => client.GetAsync("/v1/agents", cancellationToken));
            results.Add(listed);
            foreach (VerifiedPlugin plugin in plugins)
            {
                JsonElement? agent = agents.ValueKind == JsonValueKind.Array ? agents.EnumerateArray().FirstOrDefault(a => a.GetProperty("id").GetString() == plugin.Id) : null;
                string state = agent is { ValueKind: JsonValueKind.Object } a ? a.GetProperty("state").GetString()! : "missing";
                results.Add(new AcceptanceResult($"{plugin.Id} running", "GET /v1/agents", state == "Running", listed.Status, $"{plugin.Id} {plugin.Version}: {state}"));
                bool selfTest = agent is { ValueKind: JsonValueKind.Object } found && found.GetProperty("operations").EnumerateArray().Any(o => o.GetProperty("name").GetString() == SelfTestOperation);
                var requests = profile.Plugins.First(p => p.Package == plugin.Package).Acceptance;
                foreach (AcceptanceRequest request in selfTest ? [new AcceptanceRequest(SelfTestOperation, []), .. requests] : requests)
                {
                    string path = $"/v1/agents/{Uri.EscapeDataString(plugin.Id)}/{Uri.EscapeDataString(request.Operation)}";
                    results.Add((await CallAsync($"{plugin.Id} {request.Operation}", "POST " + path, () => client.PostJsonAsync(path, request.Body.ToJsonString(), cancellationToken))).Result);
                }
            }
        }

        if (profile.Models.Count == 0)
        {
            return results;
        }

        (AcceptanceResult models, JsonElement list) = await CallAsync("models listed", "GET /v1/models", () => client.GetAsync("/v1/models", cancellationToken));
        var served = list.ValueKind == JsonValueKind.Object ? list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToHashSet() : [];
        var missing = profile.Models.Where(m => !served.Contains(m.Id)).Select(m => m.Id).ToList();
        results.Add(models with { Passed = models.Passed && missing.Count == 0, Detail = missing.Count == 0 ? $"serves {string.Join(", ", profile.Models.Select(m => m.Id))}" : $"does not serve {string.Join(", ", missing)}" });
        foreach (ModelSpec model in profile.Models.Where(m => m.Roles.Contains("chat")))
        {
            var body = new JsonObject
            {
                ["model"] = model.Id,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "안녕하세요. 한 문장으로 답해 주세요." }),
                ["max_tokens"] = 8,
                ["temperature"] = 0,
            };
            (AcceptanceResult chat, JsonElement answer) = await CallAsync($"{model.Id} chat completion", "POST /v1/chat/completions", () => client.PostJsonAsync("/v1/chat/completions", body.ToJsonString(), cancellationToken));
            string? finish = answer.ValueKind == JsonValueKind.Object ? answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString() : null;
            results.Add(finish is null ? chat : chat with { Detail = $"answered (finish_reason {finish})" });
        }

        return results;
    }

    // Details are stable (no timings, no generated text) so a resumed run reports the same.
    private static async Task<(AcceptanceResult Result, JsonElement Answer)> CallAsync(string name, string target, Func<Task<JsonElement>> call)
    {
        try
        {
            JsonElement answer = await call();
            return (new AcceptanceResult(name, target, true, 200, "ok"), answer);
        }
        catch (AdminApiException ex) when (ex.Code != "unreachable")
        {
            return (new AcceptanceResult(name, target, false, ex.Status, $"{ex.Code}: {ex.Message}"), default);
        }
    }
}
