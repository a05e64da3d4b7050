using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.EndToEnd;

/// <summary>
/// An operator adding a customer's LoRA fine-tune with nlpsctl against a running nlpsd: import the base and the adapter,
/// see it listed under its base, have a mismatched adapter and a bare base removal refused, then serve it as
/// deployment:adapter on the OpenAI API after a restart.
/// </summary>
public sealed class OperatorAdapterJourneyTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task An_adapter_is_imported_listed_refused_when_mismatched_and_served_as_deployment_colon_adapter()
    {
        using var work = new TempFolder("nlps-adapters");
        using var model = TinyModel.Create(TinyModelSpec.Llama3);
        string adapter = TinyAdapter.Write(work.Combine("fin-ko"), TinyModelSpec.Llama3, baseModel: "acme/tiny-llama");
        string wide = TinyAdapter.Write(work.Combine("wide"), TinyModelSpec.Llama3 with { Hidden = 32, Heads = 4 });
        string state = work.Combine("state");
        await using (var first = await NlpsdProcess.StartAsync(state))
        {
            string[] connection = Connection(first);
            await NlpsctlAsync(["models", "import", model.Folder, "--id", "tiny-llama", .. connection], work.Path);
            await NlpsctlAsync(["models", "import", adapter, .. connection], work.Path);

            var mismatched = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["models", "import", wide, "--base", "tiny-llama", .. connection], work.Path, guard: Guard);
            Assert.NotEqual(0, mismatched.ExitCode);
            Assert.Contains("adapter_mismatch", mismatched.StandardError, StringComparison.Ordinal);
            Assert.Contains("needs [r=4, in=64]", mismatched.StandardError, StringComparison.Ordinal);

            var removal = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["models", "remove", "tiny-llama", .. connection], work.Path, guard: Guard);
            Assert.NotEqual(0, removal.ExitCode);
            Assert.Contains("model_has_adapters", removal.StandardError, StringComparison.Ordinal);

            string table = (await NlpsctlAsync(["models", "list", .. connection], work.Path)).StandardOutput;
            Assert.Matches(@"└ tiny-llama:fin-ko\s+lora r=4 alpha=8\s+q_proj,k_proj,v_proj,o_proj", table);
            Assert.DoesNotContain("wide", table, StringComparison.Ordinal);
        }

        await using var nlpsd = await NlpsdProcess.StartAsync(state, "--Models:Deployments:assistant:Model=tiny-llama", "--Models:Deployments:assistant:Threads=1", "--Models:Deployments:assistant:Adapters:0=fin-ko");
        using var client = new HttpClient { BaseAddress = nlpsd.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(nlpsd.StateDirectory, "admin.token")).Trim());

        using JsonDocument models = JsonDocument.Parse(await client.GetStringAsync("/v1/models"));
        using var completion = await client.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"assistant:fin-ko","messages":[{"role":"user","content":"안녕하세요"}],"max_tokens":4}""", Encoding.UTF8, "application/json"));

        Assert.Equal(["assistant", "assistant:fin-ko"], models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.True(completion.IsSuccessStatusCode, await completion.Content.ReadAsStringAsync());
        using JsonDocument body = JsonDocument.Parse(await completion.Content.ReadAsStringAsync());
        Assert.Equal("assistant:fin-ko", body.RootElement.GetProperty("model").GetString());
    }

    private static string[] Connection(NlpsdProcess nlpsd) => OperatorModelJourneyTests.Connection(nlpsd);

    private static Task<ProcessResult> NlpsctlAsync(string[] arguments, string workingDirectory) => OperatorModelJourneyTests.NlpsctlAsync(arguments, workingDirectory);
}
