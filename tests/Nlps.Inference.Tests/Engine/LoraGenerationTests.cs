using Nlps.Inference.Engine;
using Nlps.Inference.Models;

namespace Nlps.Inference.Tests.Engine;

/// <summary>Generations with LoRA adapters on the CPU engine: per request, concurrently with the base model, and refused when the adapter does not fit.</summary>
public sealed class LoraGenerationTests : IDisposable
{
    private static readonly TinyModelSpec Spec = TinyModelSpec.Llama3;
    private readonly TinyModel _tiny = TinyModel.Create(Spec);
    private readonly string _adapters = Path.Combine(Path.GetTempPath(), "nlps-adapters-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _tiny.Dispose();
        Directory.Delete(_adapters, recursive: true);
    }

    [Fact]
    public async Task Concurrent_generations_with_different_adapters_each_equal_a_model_with_that_adapter_merged()
    {
        string fin = TinyAdapter.Write(Path.Combine(_adapters, "fin"), Spec, seed: 1);
        string law = TinyAdapter.Write(Path.Combine(_adapters, "law"), Spec, rank: 2, alpha: 4, targets: ["q_proj", "gate_proj", "down_proj"], seed: 2, rsLora: true);
        using var model = CpuLanguageModel.Load(_tiny.Folder, Options(new Dictionary<string, string> { ["fin"] = fin, ["law"] = law }));
        var options = new GenerationOptions { MaxTokens = 12, IgnoreEndOfSequence = true };

        Task<int[]>[] running = [Tokens(model, options), Tokens(model.WithAdapter("fin"), options), Tokens(model.WithAdapter("law"), options)];
        int[][] together = await Task.WhenAll(running);

        Assert.Equal(Path.GetFileName(_tiny.Folder) + ":fin", model.WithAdapter("fin").Id);
        using var plain = CpuLanguageModel.Load(_tiny.Folder, Options());
        using var finMerged = CpuLanguageModel.Load(_tiny.Folder, Options() with { MergedAdapter = fin });
        using var lawMerged = CpuLanguageModel.Load(_tiny.Folder, Options() with { MergedAdapter = law });
        Assert.Equal(await Tokens(plain, options), together[0]);
        Assert.Equal(await Tokens(finMerged, options), together[1]);
        Assert.Equal(await Tokens(lawMerged, options), together[2]);
        Assert.NotEqual(together[0], together[1]);
        Assert.NotEqual(together[0], together[2]);
        Assert.Equal(["fin", "law"], model.AdapterNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_adapter_name_is_refused_naming_the_loaded_ones()
    {
        string fin = TinyAdapter.Write(Path.Combine(_adapters, "fin"), Spec);
        using var model = CpuLanguageModel.Load(_tiny.Folder, Options(new Dictionary<string, string> { ["fin"] = fin }));

        var ex = Assert.Throws<ArgumentException>(() => model.WithAdapter("fn"));

        Assert.Contains("no adapter 'fn' (loaded: fin)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adapter_that_does_not_fit_the_model_fails_the_load_naming_the_tensor_and_both_shapes()
    {
        string other = TinyAdapter.Write(Path.Combine(_adapters, "other"), Spec with { Hidden = 32, Heads = 4, KvHeads = 2 });

        var ex = Assert.Throws<ModelConfigException>(() => CpuLanguageModel.Load(_tiny.Folder, Options(new Dictionary<string, string> { ["other"] = other })));

        Assert.Contains("tensor 'base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight' has shape [4, 32] but base tensor 'model.layers.0.self_attn.k_proj.weight' [16, 64] needs [r=4, in=64]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adapter_of_the_output_head_is_refused_as_unsupported()
    {
        string head = TinyAdapter.Write(Path.Combine(_adapters, "head"), Spec, targets: ["lm_head"], edit: t => t.Select(e => e with
        {
            Name = e.Name.Contains("lora_A", StringComparison.Ordinal) ? "base_model.model.lm_head.lora_A.weight" : "base_model.model.lm_head.lora_B.weight",
            Shape = e.Name.Contains("lora_A", StringComparison.Ordinal) ? [4, Spec.Hidden] : [Spec.Vocab, 4],
            Data = new byte[(e.Name.Contains("lora_A", StringComparison.Ordinal) ? 4 * Spec.Hidden : Spec.Vocab * 4) * 4],
        }).DistinctBy(e => e.Name));

        var ex = Assert.Throws<ModelConfigException>(() => CpuLanguageModel.Load(_tiny.Folder, Options() with { MergedAdapter = head }));

        Assert.Contains("q/k/v/o/gate/up/down projections only", ex.Message, StringComparison.Ordinal);
    }

    private static CpuEngineOptions Options(Dictionary<string, string>? adapters = null) =>
        new() { Threads = 2, MaxContextTokens = 64, Adapters = adapters ?? new Dictionary<string, string>() };

    private static async Task<int[]> Tokens(ILanguageModel model, GenerationOptions options)
    {
        var tokens = new List<int>();
        await foreach (GenerationUpdate update in model.GenerateAsync("hello world", options, CancellationToken.None))
        {
            tokens.Add(update.TokenId!.Value);
        }

        return [.. tokens];
    }
}
