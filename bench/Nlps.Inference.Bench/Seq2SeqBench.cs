using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Nlps.Inference.Engine;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Seq2Seq;

namespace Nlps.Inference.Bench;

/// <summary>
/// Generation speed of a KoBART-shaped random BART (6+6 layers, d_model 768, 16 heads, FFN 3072, vocabulary 30000,
/// f32 as the engine holds it) on a 64-token source: greedy for one source and for four sources together, and beam
/// search with 4 beams, 32 new tokens each. A decoder step streams the decoder's matrices and the output head once for
/// all rows; the same process measures the memory-read bandwidth, so steps/s compare with bandwidth ÷ bytes per step.
/// </summary>
internal static class Seq2SeqBench
{
    private const int SourceTokens = 64;
    private const int NewTokens = 32;

    public static void Run(int threads, int runs)
    {
        double bandwidth = BandwidthProbe.GigabytesPerSecond(2L << 30, threads, passes: 5);
        Console.WriteLine($"memory read bandwidth ({threads} threads, 2 GiB, best of 5): {bandwidth:F1} GB/s");
        var config = new BartConfig
        {
            DModel = 768,
            EncoderLayers = 6,
            DecoderLayers = 6,
            EncoderHeads = 16,
            DecoderHeads = 16,
            EncoderFfnDim = 3072,
            DecoderFfnDim = 3072,
            VocabSize = 30000,
            MaxPositionEmbeddings = 1026,
            PadTokenId = 3,
            EosTokenId = 1,
            DecoderStartTokenId = 1,
        };
        long d = config.DModel;
        double gigabytesPerStep = 4.0 * ((config.DecoderLayers * ((6 * d * d) + (2 * d * config.DecoderFfnDim))) + (config.VocabSize * d)) / 1e9;
        using BartModel model = BartModel.Create(config, new RandomBartWeights(config), new CpuEngineOptions { Threads = threads });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"KoBART-shaped f32: {model.WeightBytes / 1e6:F0} MB of weights held, {gigabytesPerStep * 1e3:F0} MB streamed per decoder step, limit {bandwidth / gigabytesPerStep:F1} steps/s"));

        int[][] sources = [.. Enumerable.Range(0, 4).Select(s => Enumerable.Range(0, SourceTokens).Select(i => 4 + (((s * 977) + (i * 131)) % 29000)).ToArray())];
        Measure(model, "greedy, 1 source", [sources[0]], new Seq2SeqGenerationOptions { MaxNewTokens = NewTokens }, runs, bandwidth, gigabytesPerStep);
        Measure(model, "greedy, 4 sources", sources, new Seq2SeqGenerationOptions { MaxNewTokens = NewTokens }, runs, bandwidth, gigabytesPerStep);
        Measure(model, "beam search, 4 beams, 1 source", [sources[0]], new Seq2SeqGenerationOptions { MaxNewTokens = NewTokens, NumBeams = 4 }, runs, bandwidth, gigabytesPerStep);
    }

    private static void Measure(BartModel model, string label, int[][] sources, Seq2SeqGenerationOptions options, int runs, double bandwidth, double gigabytesPerStep)
    {
        model.Generate(sources, options with { MaxNewTokens = 2 });
        var steps = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            var results = model.Generate(sources, options);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            int longest = results.Max(r => r.Tokens.Length);
            steps.Add(longest / seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} run {run + 1}: {seconds:F2} s for {longest} steps (encoder and cross-attention K/V included), {longest / seconds:F1} steps/s, {results.Sum(r => r.Tokens.Length) / seconds:F1} output tokens/s"));
        }

        steps.Sort();
        double median = steps[steps.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: steps/s min/med/max {steps[0]:F1} / {median:F1} / {steps[^1]:F1} = {median * gigabytesPerStep / bandwidth:P0} of the bandwidth limit"));
    }

    /// <summary>BartForConditionalGeneration's tensors with random F32 values (projections ±1/√fan-in, embeddings ±1, norms 1), made when read.</summary>
    private sealed class RandomBartWeights : IWeightSource
    {
        private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, byte[]> _made = new(StringComparer.Ordinal);
        private ulong _state = 0x9E3779B97F4A7C15UL;

        public RandomBartWeights(BartConfig config)
        {
            long d = config.DModel;
            long f = config.DecoderFfnDim;
            _shapes["model.shared.weight"] = [config.VocabSize, d];
            foreach (string side in (string[])["encoder", "decoder"])
            {
                _shapes[$"model.{side}.embed_positions.weight"] = [config.MaxPositionEmbeddings + 2, d];
                _shapes[$"model.{side}.layernorm_embedding.weight"] = [d];
                _shapes[$"model.{side}.layernorm_embedding.bias"] = [d];
                for (int i = 0; i < (side == "encoder" ? config.EncoderLayers : config.DecoderLayers); i++)
                {
                    string p = string.Create(CultureInfo.InvariantCulture, $"model.{side}.layers.{i}.");
                    foreach (string block in side == "encoder" ? (string[])["self_attn"] : ["self_attn", "encoder_attn"])
                    {
                        foreach (string projection in (string[])["q_proj", "k_proj", "v_proj", "out_proj"])
                        {
                            _shapes[$"{p}{block}.{projection}.weight"] = [d, d];
                            _shapes[$"{p}{block}.{projection}.bias"] = [d];
                        }

                        _shapes[$"{p}{block}_layer_norm.weight"] = [d];
                        _shapes[$"{p}{block}_layer_norm.bias"] = [d];
                    }

                    _shapes[p + "fc1.weight"] = [f, d];
                    _shapes[p + "fc1.bias"] = [f];
                    _shapes[p + "fc2.weight"] = [d, f];
                    _shapes[p + "fc2.bias"] = [d];
                    _shapes[p + "final_layer_norm.weight"] = [d];
                    _shapes[p + "final_layer_norm.bias"] = [d];
                }
            }
        }

        public string Origin => "random KoBART-shaped weights";

        public bool Contains(string name) => _shapes.ContainsKey(name);

        public TensorDescription Describe(string name) => new("F32", _shapes[name]);

        public ReadOnlySpan<byte> Bytes(string name)
        {
            if (!_made.TryGetValue(name, out byte[]? bytes))
            {
                long[] shape = _shapes[name];
                var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
                bool norm = name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("layernorm_embedding.weight", StringComparison.Ordinal);
                float scale = shape.Length == 2 && !name.Contains("embed", StringComparison.Ordinal) && !name.Contains("shared", StringComparison.Ordinal) ? 1f / MathF.Sqrt(shape[1]) : name.EndsWith(".bias", StringComparison.Ordinal) ? 0f : 1f;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = norm ? 1f : Next(scale);
                }

                bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
                _made.Clear(); // a tensor is read right after it is described; keep one at a time
                _made[name] = bytes;
            }

            return bytes;
        }

        public Func<int, int>? RowOrder(string name) => null;

        private float Next(float scale)
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            return (((uint)_state / (float)uint.MaxValue) - 0.5f) * 2 * scale;
        }
    }
}
