using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nlps.Formats.Gguf;
using Nlps.Inference.Engine;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;
using Nlps.Models.Deployments;
using Nlps.Models.Tests.Store;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Deployments;

/// <summary>Stored GGUF models and int4 weights served by the real CPU engine over a real store.</summary>
public sealed class GgufDeploymentTests : IDisposable
{
    private readonly StoreFixture _store = new();
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);

    public void Dispose()
    {
        _model.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task A_stored_gguf_model_serves_chat_with_its_embedded_tokenizer_as_the_engine_does()
    {
        string file = Export("chat.gguf", GgufTensorType.Q8_0);
        await _store.Store.ImportAsync(file, "tiny-gguf", null, CancellationToken.None);
        await using var deployments = Create(new() { ["chat"] = new DeploymentOptions { Model = "tiny-gguf", Roles = ["chat"], Threads = 1 } });
        await deployments.StartAsync(CancellationToken.None);

        using var client = new DeployedModelRoles(deployments).GetChatClient("any.agent", "chat", out _)!;
        ChatResponse response = await client.GetResponseAsync("안녕 hello", new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });

        using var direct = CpuLanguageModel.Load(file, new CpuEngineOptions { Threads = 1 });
        using var engine = new LanguageModelChatClient(direct);
        ChatResponse expected = await engine.GetResponseAsync("안녕 hello", new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal("chat", response.ModelId);
    }

    [Fact]
    public async Task A_gguf_deployment_is_estimated_at_the_bytes_its_layouts_take_in_memory()
    {
        await _store.Store.ImportAsync(Export("q8.gguf", GgufTensorType.Q8_0), "q8", null, CancellationToken.None);
        await _store.Store.ImportAsync(Export("q4.gguf", GgufTensorType.Q4_0), "q4", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["q8"] = new() { Model = "q8", MaxContext = 16, MaxConcurrency = 1 },
            ["q4"] = new() { Model = "q4", MaxContext = 16, MaxConcurrency = 1 },
        });
        await deployments.StartAsync(CancellationToken.None);
        var bytes = deployments.Status().Deployments.ToDictionary(d => d.Id, d => d.BytesPerDevice[ModelDeployments.CpuDevice]);

        long q8 = GgufModelSummary.Read(_store.Store.ModelLoadPath("q8")).ResidentBytes(WeightFormat.Auto);
        long q4 = GgufModelSummary.Read(_store.Store.ModelLoadPath("q4")).ResidentBytes(WeightFormat.Auto);
        Assert.Equal(q8 - q4, bytes["q8"] - bytes["q4"]);
        using var loaded = LlamaModel.LoadGguf(_store.Store.ModelLoadPath("q4"));
        Assert.True(q4 >= loaded.StreamedBytesPerToken, $"estimate {q4} under the {loaded.StreamedBytesPerToken} bytes the loaded matrices hold");
    }

    [Fact]
    public async Task An_int4_deployment_quantizes_safetensors_at_load_and_is_estimated_below_int8()
    {
        await _store.Store.ImportAsync(_model.Folder, "tiny", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["int8"] = new() { Model = "tiny", WeightFormat = "int8", MaxContext = 128, MaxConcurrency = 1, Threads = 1 },
            ["int4"] = new() { Model = "tiny", WeightFormat = "int4", MaxContext = 128, MaxConcurrency = 1, Threads = 1, Roles = ["chat"] },
        });
        await deployments.StartAsync(CancellationToken.None);
        var bytes = deployments.Status().Deployments.ToDictionary(d => d.Id, d => d.BytesPerDevice[ModelDeployments.CpuDevice]);
        Assert.True(bytes["int4"] < bytes["int8"], $"int4 {bytes["int4"]} vs int8 {bytes["int8"]}");

        using var client = new DeployedModelRoles(deployments).GetChatClient("any.agent", "chat", out _)!;
        ChatResponse response = await client.GetResponseAsync("hello", new ChatOptions { Temperature = 0, MaxOutputTokens = 4 });

        using var direct = CpuLanguageModel.Load(_model.Folder, new CpuEngineOptions { Threads = 1, WeightFormat = WeightFormat.Int4 });
        using var engine = new LanguageModelChatClient(direct);
        Assert.Equal((await engine.GetResponseAsync("hello", new ChatOptions { Temperature = 0, MaxOutputTokens = 4 })).Text, response.Text);
    }

    [Theory]
    [InlineData("int4", true)]
    [InlineData("Q4_0", true)]
    [InlineData("int3", false)]
    public void Int4_is_a_deployment_weight_format(string text, bool accepted)
    {
        Assert.Equal(accepted, DeploymentWeightFormat.TryParse(text, out WeightFormat format));
        Assert.Equal(accepted ? WeightFormat.Int4 : WeightFormat.Auto, format);
    }

    private string Export(string name, GgufTensorType type)
    {
        string folder = _store.Source("gguf");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        GgufExporter.Export(_model.Folder, path, type);
        return path;
    }

    private ModelDeployments Create(Dictionary<string, DeploymentOptions> deployments) =>
        new(Options.Create(new ModelDeploymentOptions { Deployments = deployments, CpuMemoryBytes = 1L << 34 }), _store.Store);
}
