using System.Diagnostics;
using System.Globalization;
using Nlps.Formats.Peft;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Models.Lora;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Bench;

/// <summary>
/// Decode speed with a LoRA adapter applied unmerged against the same base without one: a TinyLlama-shaped random
/// model and a random rank-16 adapter on q, k, v and o, runs alternating base/adapter (order swapped each run) in one
/// process, so load from other processes hits both alike. Reports tok/s min/med/max each and the adapter/base ratio.
/// </summary>
internal static class LoraBench
{
    private const int Rank = 16;
    private const int PromptTokens = 16;
    private const int Warmup = 4;

    public static int Run(string format, int threads, int runs, int steps)
    {
        LlamaConfig config = ModelShapes.Get("tinyllama");
        ElementType type = format switch
        {
            "bf16" => ElementType.BF16,
            "int8" => ElementType.Int8,
            "int4" => ElementType.Int4,
            _ => ElementType.F32,
        };
        Console.WriteLine($"load average at start: {LoadAverage()}");
        using LlamaModel model = SyntheticModel.Create(config, type, new CpuEngineOptions { Threads = threads, MaxContextTokens = 1024 });
        LoraAdapter adapter = RandomAdapter(config);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tinyllama {format}, {threads} threads: {model.StreamedBytesPerToken / 1e9:F2} GB of weights per step; adapter r={Rank} on q,k,v,o: {adapter.ByteSize / 1e6:F1} MB (f32)"));
        var prompt = Enumerable.Range(0, PromptTokens).Select(i => (i * 7919) % config.VocabSize).ToArray();
        var logits = new float[config.VocabSize];
        var plain = new List<double>();
        var adapted = new List<double>();
        var ratios = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            bool adapterFirst = run % 2 == 1;
            double first = Decode(model, adapterFirst ? adapter : null, prompt, steps, logits);
            double second = Decode(model, adapterFirst ? null : adapter, prompt, steps, logits);
            (double withAdapter, double without) = adapterFirst ? (first, second) : (second, first);
            adapted.Add(withAdapter);
            plain.Add(without);
            ratios.Add(withAdapter / without);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: base {without:F2} tok/s, adapter {withAdapter:F2} tok/s, ratio {withAdapter / without:F3}"));
        }

        double loraMs = AdapterMillisecondsPerToken(config, adapter);
        double stepMs = 1000 / plain.Order().ElementAt(plain.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"adapter math alone (every layer's q,k,v,o: A·x then B·t, one thread, 20 tokens): {loraMs:F2} ms/token = {loraMs / stepMs:P1} of the median base step ({stepMs:F0} ms)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"base tok/s min/med/max {Summary(plain)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adapter tok/s min/med/max {Summary(adapted)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adapter/base ratio per run min/med/max {Summary(ratios, "F3")}"));
        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    private static double Decode(LlamaModel model, LoraAdapter? adapter, int[] prompt, int steps, float[] logits)
    {
        using KvCache cache = model.CreateCache(prompt.Length + Warmup + steps + 1);
        model.Prefill(prompt, cache, logits, adapter);
        KvCache[] caches = [cache];
        LoraAdapter?[] adapters = [adapter];
        int[] token = [1];
        for (int i = 0; i < Warmup; i++)
        {
            model.DecodeBatch(token, caches, adapters, logits);
        }

        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
        {
            token[0] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
            model.DecodeBatch(token, caches, adapters, logits);
        }

        return steps / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    // The unmerged adapter's own work for one token, as the decoder does it after each projection, timed on its own.
    private static double AdapterMillisecondsPerToken(LlamaConfig config, LoraAdapter adapter)
    {
        const int Tokens = 20;
        var x = new float[Math.Max(config.HiddenSize, config.Heads * config.HeadDim)];
        var y = new float[x.Length];
        Array.Fill(x, 0.5f);
        LoraTarget[] targets = [LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O];
        long start = 0;
        for (int token = -2; token < Tokens; token++)
        {
            start = token == 0 ? Stopwatch.GetTimestamp() : start;
            for (int layer = 0; layer < config.Layers; layer++)
            {
                foreach (LoraTarget target in targets)
                {
                    adapter.For(layer, target)!.Apply(x, y);
                }
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / Tokens;
    }

    // A ± 0.01 random rank-16 adapter on q, k, v and o of every layer, the shapes PEFT would save for this model.
    private static LoraAdapter RandomAdapter(LlamaConfig config)
    {
        var random = new Random(16);
        int q = config.Heads * config.HeadDim;
        int kv = config.KvHeads * config.HeadDim;
        var matrices = new List<(LoraPair, float[], float[])>();
        for (int layer = 0; layer < config.Layers; layer++)
        {
            foreach ((string module, int outDim, int inDim) in (ReadOnlySpan<(string, int, int)>)[("q_proj", q, config.HiddenSize), ("k_proj", kv, config.HiddenSize), ("v_proj", kv, config.HiddenSize), ("o_proj", config.HiddenSize, q)])
            {
                string tensor = string.Create(CultureInfo.InvariantCulture, $"model.layers.{layer}.self_attn.{module}.weight");
                matrices.Add((new LoraPair(tensor, module, tensor + ".lora_A", tensor + ".lora_B", Rank, inDim, outDim), Values(random, Rank * inDim), Values(random, outDim * Rank)));
            }
        }

        return LoraAdapter.Create("bench", config, new LoraAdapterConfig(Rank, 32, false, ["q_proj", "k_proj", "v_proj", "o_proj"], null), matrices);
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(0.02 * (random.NextDouble() - 0.5));
        }

        return values;
    }

    private static string Summary(List<double> values, string format = "F2")
    {
        var sorted = values.Order().ToList();
        return string.Join(" / ", new[] { sorted[0], sorted[sorted.Count / 2], sorted[^1] }.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
