using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nlps.Inference.Engine;
using Nlps.Models.Deployments;
using Nlps.Models.Scheduling;
using Nlps.Models.Tests.Store;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Deployments;

/// <summary>CPU deployments serving stored LoRA adapters as deployment:adapter, over a real store and the real engine.</summary>
public sealed class LoraDeploymentsTests : IDisposable
{
    private static readonly TinyModelSpec Spec = TinyModelSpec.Llama3;
    private static readonly ChatOptions Greedy = new() { Temperature = 0, MaxOutputTokens = 8 };
    private readonly StoreFixture _store = new();
    private readonly TinyModel _model = TinyModel.Create(Spec);

    public void Dispose()
    {
        _model.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Adapters_are_listed_under_their_deployment_and_each_generates_as_the_engine_does_with_it()
    {
        string fin = await ImportAsync("fin-ko", seed: 3);
        await ImportAsync("law", seed: 4);
        await using var deployments = Create(new() { ["chat"] = new() { Model = "tiny", Threads = 1, Adapters = new() { ["fin"] = "fin-ko", ["0"] = "law" } } });
        await deployments.StartAsync(CancellationToken.None);

        Assert.Equal(["chat", "chat:fin", "chat:law"], deployments.List().Select(d => d.Name));
        Assert.Equal("chat", deployments.Find("chat:fin")!.Parent);
        Assert.Null(deployments.Find("chat:nope"));

        ChatResponse adapted;
        using (DeploymentLease lease = await deployments.AcquireAsync("chat:fin", CancellationToken.None))
        {
            adapted = await lease.ChatClient.GetResponseAsync("hello", Greedy);
        }

        ChatResponse plain = await new LeasedChatClient(deployments, "chat").GetResponseAsync("hello", Greedy);
        using var engine = CpuLanguageModel.Load(_model.Folder, new CpuEngineOptions { Threads = 1, Adapters = new Dictionary<string, string> { ["fin"] = fin } });
        Assert.Equal((await new LanguageModelChatClient(engine.WithAdapter("fin")).GetResponseAsync("hello", Greedy)).Text, adapted.Text);
        Assert.NotEqual(plain.Text, adapted.Text);
        var status = deployments.Status().Deployments.Single();
        Assert.Equal(("chat", 1), (status.Id, status.Loads));
    }

    [Fact]
    public async Task The_adapters_f32_matrices_are_added_to_the_deployments_size_and_a_merged_one_adds_nothing()
    {
        await ImportAsync("fin-ko", seed: 3);
        await using var deployments = Create(new()
        {
            ["plain"] = new() { Model = "tiny", MaxContext = 32, MaxConcurrency = 1 },
            ["adapted"] = new() { Model = "tiny", MaxContext = 32, MaxConcurrency = 1, Adapters = new() { ["fin"] = "fin-ko" } },
            ["merged"] = new() { Model = "tiny", MaxContext = 32, MaxConcurrency = 1, Adapters = new() { ["fin"] = "fin-ko" }, MergeAdapter = true },
        });
        await deployments.StartAsync(CancellationToken.None);

        var bytes = deployments.Status().Deployments.ToDictionary(d => d.Id, d => d.BytesPerDevice[ModelDeployments.CpuDevice]);
        int headDim = Spec.Hidden / Spec.Heads;
        long parameters = Spec.Layers * 4L * ((2 * (Spec.Hidden + (Spec.Heads * headDim))) + (2 * (Spec.Hidden + (Spec.KvHeads * headDim))));
        Assert.Equal(parameters * sizeof(float), bytes["adapted"] - bytes["plain"]);
        Assert.Equal(bytes["plain"], bytes["merged"]);
    }

    [Fact]
    public async Task A_merged_adapter_is_the_deployment_itself_and_its_adapter_name_answers_the_same()
    {
        string fin = await ImportAsync("fin-ko", seed: 3);
        await using var deployments = Create(new() { ["chat"] = new() { Model = "tiny", Threads = 1, Adapters = new() { ["fin"] = "fin-ko" }, MergeAdapter = true } });
        await deployments.StartAsync(CancellationToken.None);

        ChatResponse byBase = await new LeasedChatClient(deployments, "chat").GetResponseAsync("hello", Greedy);
        ChatResponse byAdapter = await new LeasedChatClient(deployments, "chat:fin").GetResponseAsync("hello", Greedy);

        using var engine = CpuLanguageModel.Load(_model.Folder, new CpuEngineOptions { Threads = 1, MergedAdapter = fin });
        string expected = (await new LanguageModelChatClient(engine).GetResponseAsync("hello", Greedy)).Text;
        Assert.Equal((expected, expected), (byBase.Text, byAdapter.Text));
    }

    [Fact]
    public async Task An_agent_role_can_name_deployment_colon_adapter()
    {
        await ImportAsync("fin-ko", seed: 3);
        var options = new ModelDeploymentOptions
        {
            Deployments = new() { ["chat"] = new() { Model = "tiny", Threads = 1, Roles = ["chat"], Adapters = new() { ["fin"] = "fin-ko" } } },
            Agents = new() { ["nlps.translator"] = new() { ["chat"] = "chat:fin" } },
            CpuMemoryBytes = 1L << 34,
        };
        Assert.True(new ModelDeploymentOptionsValidator().Validate(null, options).Succeeded);
        await using var deployments = new ModelDeployments(Options.Create(options), _store.Store);
        await deployments.StartAsync(CancellationToken.None);

        using IChatClient translator = new DeployedModelRoles(deployments).GetChatClient("nlps.translator", "chat", out _)!;
        ChatResponse viaRole = await translator.GetResponseAsync("hello", Greedy);
        ChatResponse direct = await new LeasedChatClient(deployments, "chat:fin").GetResponseAsync("hello", Greedy);

        Assert.Equal(direct.Text, viaRole.Text);
        Assert.Equal("chat:fin", viaRole.ModelId);
    }

    [Fact]
    public async Task An_unknown_adapter_is_a_404_naming_the_deployments_adapters()
    {
        await ImportAsync("fin-ko", seed: 3);
        await using var deployments = Create(new() { ["chat"] = new() { Model = "tiny", Adapters = new() { ["fin"] = "fin-ko" } } });
        await deployments.StartAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => deployments.AcquireAsync("chat:fn", CancellationToken.None));

        Assert.Equal(("deployment_unknown", 404), (ex.Code, ex.StatusCode));
        Assert.Contains("deployment 'chat' has no adapter 'fn' (its adapters: fin)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ResidencyState.Unloaded, deployments.Status().Deployments.Single().State);
    }

    [Fact]
    public async Task Start_refuses_an_adapter_not_stored_on_the_model_naming_the_key_and_the_stored_ones()
    {
        await ImportAsync("fin-ko", seed: 3);
        await using var deployments = Create(new() { ["chat"] = new() { Model = "tiny", Adapters = new() { ["law"] = "law-ko" } } });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => deployments.StartAsync(CancellationToken.None));

        Assert.Contains("Models:Deployments:chat:Adapters:law", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no stored adapter 'law-ko' (stored: fin-ko)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_names_a_merge_without_exactly_one_adapter_and_a_role_on_an_unlisted_adapter()
    {
        var options = new ModelDeploymentOptions
        {
            Deployments = new() { ["chat"] = new() { Model = "tiny", MergeAdapter = true, Adapters = new() { ["a"] = "a", ["b"] = "b" } } },
            Roles = new() { ["chat"] = "chat:c" },
        };

        var failures = new ModelDeploymentOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("Models:Deployments:chat:MergeAdapter needs exactly one adapter", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Models:Roles:chat names deployment 'chat:c'", StringComparison.Ordinal));
    }

    private async Task<string> ImportAsync(string adapter, int seed)
    {
        if (!File.Exists(Path.Combine(_store.Store.Root, "tiny", Nlps.Models.Store.ModelManifest.FileName)))
        {
            await _store.Store.ImportAsync(_model.Folder, "tiny", null, CancellationToken.None);
        }

        string source = TinyAdapter.Write(_store.Source(adapter), Spec, seed: seed);
        await _store.Store.ImportAdapterAsync(source, "tiny", adapter, null, CancellationToken.None);
        return source;
    }

    private ModelDeployments Create(Dictionary<string, DeploymentOptions> deployments) =>
        new(Options.Create(new ModelDeploymentOptions { Deployments = deployments, CpuMemoryBytes = 1L << 34 }), _store.Store);
}
