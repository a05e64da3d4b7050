using System.Text.Json;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Llama;

namespace Nlps.Inference.Tests.Models;

/// <summary>
/// The decoder against an independent reference: tiny models and float64 logits written by PyTorch
/// (oracle/make_oracle.py, committed output; see oracle/install-deps.sh to regenerate). Complements the C# naive
/// decoder in <see cref="NaiveDecoder"/>, which shares this codebase's reading of the architecture.
/// </summary>
public sealed class OracleTests
{
    public static TheoryData<string> Models => new() { "llama3-gqa4", "qwen2-bias-tied", "mistral-f16" };

    // Chunks of 7 prompt tokens: as matvecs (the default below 16 rows), and through the register-tiled GEMM.
    public static TheoryData<string, int> ModelsAndGemmThresholds => new()
    {
        { "llama3-gqa4", 16 }, { "qwen2-bias-tied", 16 }, { "mistral-f16", 16 },
        { "llama3-gqa4", 2 }, { "qwen2-bias-tied", 2 }, { "mistral-f16", 2 },
    };

    [Theory]
    [MemberData(nameof(ModelsAndGemmThresholds))]
    public void F32_logits_are_within_1e4_of_the_pytorch_reference_at_every_position(string name, int gemmMinRows)
    {
        var (folder, prompt, expected, _) = Read(name);
        using var model = LlamaModel.Load(folder, new CpuEngineOptions { Threads = 2, WeightFormat = Tensors.WeightFormat.F32, PrefillChunkTokens = 7, GemmMinRows = gemmMinRows });
        int vocab = model.Config.VocabSize;
        using KvCache cache = model.CreateCache(prompt.Length);
        var logits = new float[prompt.Length * vocab];
        model.PrefillAllPositions(prompt, cache, logits);

        for (int t = 0; t < prompt.Length; t++)
        {
            double scale = expected[t].Max(Math.Abs);
            double error = Enumerable.Range(0, vocab).Max(v => Math.Abs(logits[(t * vocab) + v] - expected[t][v])) / scale;
            Assert.True(error <= 1e-4, $"{name}: position {t} differs by {error:E2} of the largest logit");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Greedy_decoding_with_the_kv_cache_continues_exactly_as_pytorch_for_32_tokens(string name)
    {
        var (folder, prompt, _, greedy) = Read(name);
        using var model = LlamaModel.Load(folder, new CpuEngineOptions { Threads = 2, WeightFormat = Tensors.WeightFormat.F32 });
        using KvCache cache = model.CreateCache(prompt.Length + greedy.Length);
        var logits = new float[model.Config.VocabSize];
        model.Prefill(prompt, cache, logits);
        var produced = new List<int>();
        KvCache[] caches = [cache];
        for (int i = 0; i < greedy.Length; i++)
        {
            int next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
            produced.Add(next);
            model.DecodeBatch([next], caches, logits);
        }

        Assert.Equal(greedy, produced);
    }

    private static (string Folder, int[] Prompt, double[][] Logits, int[] Greedy) Read(string name)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "oracle", name);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        JsonElement root = expected.RootElement;
        return (
            folder,
            root.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("logits").EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray(),
            root.GetProperty("greedy").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }
}
