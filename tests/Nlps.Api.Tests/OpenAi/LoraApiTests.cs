using System.Net;
using System.Text.Json;
using Nlps.Api.Tests.Models;
using Nlps.Api.Tests.Support;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Engine;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>LoRA adapters through HTTP: imported and removed with the admin API, served as deployment:adapter on the OpenAI API.</summary>
public sealed class LoraApiTests
{
    private static readonly TinyModelSpec Spec = TinyModelSpec.Llama3;

    [Fact]
    public async Task Adapters_are_imported_listed_and_removed_through_the_admin_api_and_a_mismatch_changes_nothing()
    {
        using var model = TinyModel.Create(Spec);
        using var sources = new TempFolder("adapters");
        await using var appliance = new TestAppliance();
        await appliance.ImportModelAsync(model.Folder, "tiny-llama");
        using var client = appliance.CreateAdminClient();
        string adapter = TinyAdapter.Write(Path.Combine(sources.Path, "fin-ko"), Spec, baseModel: "acme/tiny-llama");
        string mismatched = TinyAdapter.Write(Path.Combine(sources.Path, "wide"), Spec with { Hidden = 32, Heads = 4 }, baseModel: "tiny-llama");

        JsonElement imported = await ImportAsync(client, new { path = adapter });
        JsonElement refused = await ImportAsync(client, new { path = mismatched, @base = "tiny-llama" });

        Assert.Equal(("Succeeded", "tiny-llama:fin-ko"), (imported.GetProperty("state").GetString(), imported.GetProperty("modelId").GetString()));
        Assert.Equal(("Failed", "adapter_mismatch"), (refused.GetProperty("state").GetString(), refused.GetProperty("errorCode").GetString()));
        Assert.Contains("needs [r=4, in=64]", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
        JsonElement listed = (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/models")))[0];
        JsonElement stored = Assert.Single(listed.GetProperty("adapters").EnumerateArray());
        Assert.Equal(("fin-ko", 4), (stored.GetProperty("name").GetString(), stored.GetProperty("rank").GetInt32()));

        using var baseRemoval = await client.DeleteAsync("/v1/admin/models/tiny-llama");
        Assert.Equal(HttpStatusCode.Conflict, baseRemoval.StatusCode);
        Assert.Contains("fin-ko", await baseRemoval.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var adapterRemoval = await client.DeleteAsync("/v1/admin/models/tiny-llama/adapters/fin-ko");
        Assert.Equal(HttpStatusCode.NoContent, adapterRemoval.StatusCode);
        Assert.Equal(0, (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/models")))[0].GetProperty("adapters").GetArrayLength());
        using var again = await client.DeleteAsync("/v1/admin/models/tiny-llama/adapters/fin-ko");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Models_list_adapters_a_completion_on_one_uses_it_and_an_unknown_one_is_a_404_naming_the_available()
    {
        using var model = TinyModel.Create(Spec);
        using var sources = new TempFolder("adapters");
        string adapter = TinyAdapter.Write(Path.Combine(sources.Path, "fin-ko"), Spec, seed: 9);
        await using var appliance = new TestAppliance(new Dictionary<string, string?>
        {
            ["Models:Deployments:tiny:Model"] = "tiny-llama",
            ["Models:Deployments:tiny:Threads"] = "1",
            ["Models:Deployments:tiny:Adapters:fin"] = "fin-ko",
        });
        await appliance.ImportModelAsync(model.Folder, "tiny-llama");
        await appliance.ImportAdapterAsync(adapter, "tiny-llama", "fin-ko");
        using var client = appliance.CreateAdminClient();

        JsonElement models = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/models"));
        using var completion = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny:fin","messages":[{"role":"user","content":"안녕 hello"}],"temperature":0,"max_tokens":8}"""));
        using var unknown = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny:fn","messages":[{"role":"user","content":"hello"}]}"""));

        Assert.Equal(["tiny", "tiny:fin"], models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("tiny", models.GetProperty("data")[1].GetProperty("parent").GetString());
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        JsonElement body = await TestAppliance.ReadJsonAsync(completion);
        using var reference = CpuLanguageModel.Load(model.Folder, new CpuEngineOptions { Threads = 1, Adapters = new Dictionary<string, string> { ["fin"] = adapter } });
        ILanguageModel adapted = reference.WithAdapter("fin");
        var (text, _, _) = await adapted.GenerateAsync(adapted.EncodeChat([new ChatTurn("user", "안녕 hello")]), new GenerationOptions { MaxTokens = 8 }, CancellationToken.None).CompleteAsync();
        Assert.Equal(("tiny:fin", text), (body.GetProperty("model").GetString(), body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        JsonElement error = await ChatCompletionsApiTests.AssertErrorAsync(unknown, HttpStatusCode.NotFound, "model_not_found", "not_found_error");
        Assert.Contains("deployment 'tiny' has no adapter 'fn'; its adapters: fin", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ImportAsync(HttpClient client, object request)
    {
        using var started = await client.PostAsync("/v1/admin/models/import", TestAppliance.Json(JsonSerializer.Serialize(request)));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return await AdminModelApiTests.WaitForJobAsync(client, (await TestAppliance.ReadJsonAsync(started)).GetProperty("id").GetString()!);
    }
}
