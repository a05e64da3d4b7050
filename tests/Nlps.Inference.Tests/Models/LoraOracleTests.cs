using System.Numerics.Tensors;
using System.Text.Json;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Models.Lora;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Models;

/// <summary>
/// LoRA against an independent reference: a tiny Llama with two PEFT adapters (classic LoRA on every projection in f32,
/// rsLoRA on q/v/down in bf16) and float64 logits written by PyTorch (oracle/make_lora_oracle.py, committed output).
/// The engine applies the adapters unmerged, per sequence, and merged at load.
/// </summary>
public sealed class LoraOracleTests
{
    private const string Name = "llama3-lora";

    public static TheoryData<string> Adapters => new() { "all-linear-r4", "rslora-r8" };

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Unmerged_logits_are_within_1e4_of_pytorch_at_every_position(string adapterName)
    {
        Expected expected = Read();
        using LlamaModel model = Load();
        LoraAdapter adapter = model.LoadAdapter(AdapterFolder(adapterName));
        Assert.Equal(expected.Scales[adapterName], adapter.Scale, 12);

        AssertLogits(model, adapter, expected.Prompt, expected.Logits[adapterName], adapterName);
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Merged_at_load_logits_are_within_1e4_of_pytorch_and_greedy_decoding_matches(string adapterName)
    {
        Expected expected = Read();
        using LlamaModel model = Load(AdapterFolder(adapterName));

        AssertLogits(model, null, expected.Prompt, expected.Logits[adapterName], adapterName + " merged");
        Assert.Equal(expected.Greedy[adapterName], Greedy(model, [null], expected.Prompt, expected.Greedy[adapterName].Length)[0]);
    }

    [Fact]
    public void Base_and_both_adapters_decoded_together_in_one_batch_each_match_pytorch_greedily()
    {
        Expected expected = Read();
        using LlamaModel model = Load();
        LoraAdapter?[] adapters = [null, model.LoadAdapter(AdapterFolder("all-linear-r4")), model.LoadAdapter(AdapterFolder("rslora-r8"))];

        int[][] produced = Greedy(model, adapters, expected.Prompt, expected.Greedy["base"].Length);

        Assert.Equal(expected.Greedy["base"], produced[0]);
        Assert.Equal(expected.Greedy["all-linear-r4"], produced[1]);
        Assert.Equal(expected.Greedy["rslora-r8"], produced[2]);
        Assert.NotEqual(produced[0], produced[1]);
        Assert.NotEqual(produced[0], produced[2]);
    }

    [Fact]
    public void Adapter_memory_is_every_a_and_b_matrix_in_f32()
    {
        using LlamaModel model = Load();
        LoraAdapter adapter = model.LoadAdapter(AdapterFolder("rslora-r8"));
        LlamaConfig c = model.Config;
        long perLayer = 8L * ((c.HiddenSize + (c.Heads * c.HeadDim)) + (c.HiddenSize + (c.KvHeads * c.HeadDim)) + (c.IntermediateSize + c.HiddenSize));

        Assert.Equal(perLayer * c.Layers * sizeof(float), adapter.ByteSize);
    }

    private static void AssertLogits(LlamaModel model, LoraAdapter? adapter, int[] prompt, double[][] expected, string what)
    {
        int vocab = model.Config.VocabSize;
        using KvCache cache = model.CreateCache(prompt.Length);
        var logits = new float[prompt.Length * vocab];
        model.PrefillAllPositions(prompt, cache, logits, adapter);
        for (int t = 0; t < prompt.Length; t++)
        {
            double scale = expected[t].Max(Math.Abs);
            double error = Enumerable.Range(0, vocab).Max(v => Math.Abs(logits[(t * vocab) + v] - expected[t][v])) / scale;
            Assert.True(error <= 1e-4, $"{what}: position {t} differs by {error:E2} of the largest logit");
        }
    }

    // Greedy continuations of the prompt for each sequence (one per adapter entry, null = base), stepped as one batch.
    private static int[][] Greedy(LlamaModel model, LoraAdapter?[] adapters, int[] prompt, int steps)
    {
        int vocab = model.Config.VocabSize;
        var caches = adapters.Select(_ => model.CreateCache(prompt.Length + steps)).ToArray();
        try
        {
            var logits = new float[adapters.Length * vocab];
            for (int i = 0; i < adapters.Length; i++)
            {
                model.Prefill(prompt, caches[i], logits.AsSpan(i * vocab, vocab), adapters[i]);
            }

            var produced = adapters.Select(_ => new List<int>()).ToArray();
            var tokens = new int[adapters.Length];
            for (int step = 0; step < steps; step++)
            {
                for (int i = 0; i < adapters.Length; i++)
                {
                    tokens[i] = TensorPrimitives.IndexOfMax(logits.AsSpan(i * vocab, vocab));
                    produced[i].Add(tokens[i]);
                }

                model.DecodeBatch(tokens, caches, adapters, logits);
            }

            return [.. produced.Select(p => p.ToArray())];
        }
        finally
        {
            foreach (KvCache cache in caches)
            {
                cache.Dispose();
            }
        }
    }

    private static LlamaModel Load(string? merged = null) =>
        LlamaModel.Load(Folder, new CpuEngineOptions { Threads = 2, WeightFormat = WeightFormat.F32, PrefillChunkTokens = 7, MergedAdapter = merged });

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "oracle", Name);

    private static string AdapterFolder(string adapter) => Path.Combine(Folder, "adapters", adapter);

    private static Expected Read()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        JsonElement root = document.RootElement;
        var logits = new Dictionary<string, double[][]> { ["base"] = Logits(root.GetProperty("base")) };
        var greedy = new Dictionary<string, int[]> { ["base"] = Tokens(root.GetProperty("base")) };
        var scales = new Dictionary<string, double>();
        foreach (JsonProperty adapter in root.GetProperty("adapters").EnumerateObject())
        {
            logits[adapter.Name] = Logits(adapter.Value);
            greedy[adapter.Name] = Tokens(adapter.Value);
            scales[adapter.Name] = adapter.Value.GetProperty("scale").GetDouble();
        }

        return new Expected(root.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()).ToArray(), logits, greedy, scales);

        static double[][] Logits(JsonElement e) => [.. e.GetProperty("logits").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

        static int[] Tokens(JsonElement e) => [.. e.GetProperty("greedy").EnumerateArray().Select(v => v.GetInt32())];
    }

    private sealed record Expected(int[] Prompt, Dictionary<string, double[][]> Logits, Dictionary<string, int[]> Greedy, Dictionary<string, double> Scales);
}
