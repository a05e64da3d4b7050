using System.Text.Json;
using Nlps.Provisioning.Reports;
using Nlps.Provisioning.Tests.Support;
using Nlps.Testing;

namespace Nlps.Provisioning.Tests.EndToEnd;

/// <summary>The example profiles provisioned onto a real nlpsd with tiny models, through nlpsctl run as a process.</summary>
public sealed class ApplyEndToEndTests
{
    private const int RestartRequired = 75;

    [Fact]
    public async Task A_bank_apply_killed_after_its_first_plugin_resumes_and_passes_with_no_duplicates()
    {
        using var work = new TempFolder("nlps-provision-");
        string media = await ExampleMedia.BuildAsync("garam-bank", work.Combine("media"));
        string profile = ExampleMedia.Profile("garam-bank");
        await using var box = new ProvisionedBox(work);
        await box.StartAsync();

        string before = await box.ApplyAndKillAsync(profile, media, "done plugin:nlps.translator");
        Assert.Contains("done model:garam-chat", before, StringComparison.Ordinal);

        ProcessResult resumed = await box.ApplyAsync(profile, media);
        Assert.True(resumed.ExitCode == RestartRequired, resumed.StandardOutput + resumed.StandardError);
        Assert.Contains("resumed model:garam-chat", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("resumed plugin:nlps.translator", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("done plugin:nlps.chatbot", resumed.StandardOutput, StringComparison.Ordinal);

        await box.RestartAsync();
        ProcessResult passed = await box.ApplyAsync(profile, media);
        Assert.True(passed.ExitCode == 0, passed.StandardOutput + passed.StandardError);

        string reportText = await File.ReadAllTextAsync(Path.Combine(box.RunFolder("garam-bank"), ReportWriter.JsonFile));
        Assert.Contains("가람은행 (Garam Bank)", reportText, StringComparison.Ordinal);
        JsonElement report = JsonDocument.Parse(reportText).RootElement;
        Assert.Equal(ReportOutcomes.Passed, report.GetProperty("outcome").GetString());
        JsonElement[] acceptance = [.. report.GetProperty("acceptance").EnumerateArray()];
        Assert.All(acceptance, a => Assert.True(a.GetProperty("passed").GetBoolean(), a.ToString()));
        Assert.Contains(acceptance, a => a.GetProperty("name").GetString() == "garam-chat chat completion");
        Assert.Contains(acceptance, a => a.GetProperty("name").GetString() == "nlps.chatbot search");
        Assert.Equal(
            ["model:garam-chat", "plugin:nlps.translator", "plugin:nlps.chatbot", "data:nlps.translator:data/glossary.tsv", "data:nlps.translator:data/translation-memory.tsv",
             "data:nlps.chatbot:data/documents", "apikey:번역 포털 (translation portal)", "apikey:상담 챗봇 (customer chatbot)", "admin:garam-admin", "nlpsd-config"],
            report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        string html = await File.ReadAllTextAsync(Path.Combine(box.RunFolder("garam-bank"), ReportWriter.HtmlFile));
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("가람은행", html, StringComparison.Ordinal);

        // Exactly one of everything, whatever the kill interrupted.
        JsonElement plugins = await box.GetAsync("/v1/admin/plugins");
        Assert.Equal(["nlps.chatbot", "nlps.translator"], plugins.EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
        Assert.All(plugins.EnumerateArray(), p => Assert.Equal(1, p.GetProperty("versions").GetArrayLength()));
        Assert.Single((await box.GetAsync("/v1/admin/models")).EnumerateArray());
        var active = (await box.GetAsync("/v1/admin/api-keys")).EnumerateArray().Where(k => k.GetProperty("state").GetString() == "active").ToList();
        Assert.Equal(2, active.Count);
        Assert.Single((await box.GetAsync("/v1/admin/accounts")).EnumerateArray(), a => a.GetProperty("username").GetString() == "garam-admin");
        JsonElement glossary = await PostAgentAsync(box, "nlps.translator/glossary_list", "{}");
        Assert.Equal(5, glossary.GetProperty("total").GetInt32());

        // The handover file holds the secrets, readable by its owner only; they appear nowhere else.
        string handoverPath = Path.Combine(box.RunFolder("garam-bank"), "handover.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(handoverPath));
        using JsonDocument handover = JsonDocument.Parse(await File.ReadAllTextAsync(handoverPath));
        foreach (JsonProperty key in handover.RootElement.GetProperty("apiKeys").EnumerateObject())
        {
            string secret = key.Value.GetProperty("key").GetString()!;
            Assert.Contains(active, k => k.GetProperty("id").GetString() == key.Value.GetProperty("id").GetString());
            Assert.DoesNotContain(secret, reportText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, before + resumed.StandardOutput + resumed.StandardError + passed.StandardOutput + passed.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, box.Nlpsd.Output, StringComparison.Ordinal);
        }

        // Once more: nothing left to do, the same report (but the placement plan, which depends on the RAM free right now).
        ProcessResult again = await box.ApplyAsync(profile, media);
        Assert.Equal(0, again.ExitCode);
        JsonElement repeat = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(box.RunFolder("garam-bank"), ReportWriter.JsonFile))).RootElement;
        foreach (string part in new[] { "outcome", "steps", "acceptance", "files", "plugins", "problems", "versions" })
        {
            Assert.Equal(report.GetProperty(part).ToString(), repeat.GetProperty(part).ToString());
        }

        Assert.Equal(2, (await box.GetAsync("/v1/admin/api-keys")).EnumerateArray().Count());
    }

    [Fact]
    public async Task The_customs_profile_provisions_its_chatbot_and_keyword_graph()
    {
        using var work = new TempFolder("nlps-provision-");
        string media = await ExampleMedia.BuildAsync("seohae-customs", work.Combine("media"));
        string profile = ExampleMedia.Profile("seohae-customs");
        await using var box = new ProvisionedBox(work);
        await box.StartAsync();

        Assert.Equal(RestartRequired, (await box.ApplyAsync(profile, media)).ExitCode);
        await box.RestartAsync();
        ProcessResult passed = await box.ApplyAsync(profile, media);

        Assert.True(passed.ExitCode == 0, passed.StandardOutput + passed.StandardError);
        Assert.Contains("pass nlps.keyword-graph related", passed.StandardOutput, StringComparison.Ordinal);
        JsonElement related = await PostAgentAsync(box, "nlps.keyword-graph/neighbours", """{"keyword":"원산지"}""");
        Assert.NotEmpty(related.GetProperty("neighbours").EnumerateArray());
    }

    private static async Task<JsonElement> PostAgentAsync(ProvisionedBox box, string path, string body)
    {
        using HttpClient client = box.Nlpsd.CreateAdminClient();
        using var response = await client.PostAsync("/v1/agents/" + path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
