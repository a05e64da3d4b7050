using System.Text.Json;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.EndToEnd;

/// <summary>
/// An operator sizing, importing and serving a model with nlpsctl against a running nlpsd: estimate offline, import
/// into the store, restart with a deployment, load / pin / unload it by hand and read the scheduler's state.
/// </summary>
public sealed class OperatorModelJourneyTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_model_is_estimated_imported_deployed_loaded_pinned_and_unloaded_with_nlpsctl()
    {
        using var work = new TempFolder("nlps-operator");
        using var model = TinyModel.Create(TinyModelSpec.Llama3);

        using (JsonDocument estimate = JsonDocument.Parse((await NlpsctlAsync(
            ["estimate", "--config", Path.Combine(model.Folder, "config.json"), "--quant", "fp32", "--context", "128", "--tp", "1", "--json"], work.Path)).StandardOutput))
        {
            Assert.Equal("safetensors", estimate.RootElement.GetProperty("weightsSource").GetString());
            Assert.True(estimate.RootElement.GetProperty("estimates")[0].GetProperty("perDevice").GetProperty("weightBytes").GetInt64() > 0);
        }

        string state = work.Combine("state");
        await using (var first = await NlpsdProcess.StartAsync(state))
        {
            await NlpsctlAsync(["models", "import", model.Folder, "--id", "tiny-llama", .. Connection(first)], work.Path);
        }

        await using var nlpsd = await NlpsdProcess.StartAsync(state, "--Models:Deployments:assistant:Model=tiny-llama", "--Models:Deployments:assistant:Threads=1");
        string[] connection = Connection(nlpsd);

        Assert.Equal("assistant: resident", (await NlpsctlAsync(["deployments", "load", "assistant", .. connection], work.Path)).StandardOutput.Trim());
        Assert.Equal("assistant: resident, pinned", (await NlpsctlAsync(["deployments", "pin", "assistant", .. connection], work.Path)).StandardOutput.Trim());

        var refused = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["deployments", "unload", "assistant", .. connection], work.Path, guard: Guard);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("deployment_pinned", refused.StandardError, StringComparison.Ordinal);

        await NlpsctlAsync(["deployments", "unpin", "assistant", .. connection], work.Path);
        Assert.Equal("assistant: unloaded", (await NlpsctlAsync(["deployments", "unload", "assistant", .. connection], work.Path)).StandardOutput.Trim());

        string table = (await NlpsctlAsync(["deployments", "list", .. connection], work.Path)).StandardOutput;
        Assert.Contains("unloaded_by_operator  assistant", table, StringComparison.Ordinal);
        Assert.Matches(@"assistant\s+tiny-llama\s+unloaded\s+cpu stopped\s+no", table);
    }

    internal static string[] Connection(NlpsdProcess nlpsd) =>
        ["--url", nlpsd.BaseAddress.ToString(), "--token-file", Path.Combine(nlpsd.StateDirectory, "admin.token")];

    internal static async Task<ProcessResult> NlpsctlAsync(string[] arguments, string workingDirectory) =>
        (await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, arguments, workingDirectory, guard: Guard)).EnsureSuccess("nlpsctl " + string.Join(' ', arguments.Take(2)));
}
