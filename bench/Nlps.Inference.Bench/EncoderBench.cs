using System.Diagnostics;
using System.Globalization;
using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Bench;

/// <summary>
/// Embeddings per second of an XLM-R-large-shaped random encoder (24 layers, hidden 1024, 16 heads, intermediate
/// 4096) at 128 tokens per input, batch 1 and batch 32, with the GFLOP/s achieved against the fp32 FMA peak measured
/// in the same process. The vocabulary is cut to 1,000 rows: an embedding lookup costs the same whatever its size.
/// </summary>
internal static unsafe class EncoderBench
{
    private const int Tokens = 128;

    public static void Run(int threads, int runs, int[] batches)
    {
        var (peak, peakPerCpu) = FmaPeakProbe.GigaflopsPerSecond(threads, passes: 3);
        Console.WriteLine($"fp32 FMA-512 peak ({threads} threads, best of 3): {peak:F0} GFLOP/s wall, {peakPerCpu:F0} GFLOP per CPU-second ({threads} x {peakPerCpu / threads:F0})");
        var config = new EncoderConfig
        {
            ModelType = "xlm-roberta",
            HiddenSize = 1024,
            IntermediateSize = 4096,
            Layers = 24,
            Heads = 16,
            VocabSize = 1000,
            MaxPositionEmbeddings = 514,
            TypeVocabSize = 1,
            LayerNormEps = 1e-5,
            PositionOffset = 2,
        };
        using EncoderModel model = Create(config, threads);
        foreach (int batch in batches)
        {
            var sequences = Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, Tokens).Select(i => ((b * 131) + (i * 7)) % config.VocabSize).ToArray()).ToArray();
            var hidden = new float[batch * Tokens * config.HiddenSize];
            double flops = model.Flops(sequences.Select(s => s.Length));
            model.Forward(sequences, hidden);
            var rates = new List<double>();
            var perCpu = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                model.Forward(sequences, hidden);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                rates.Add(batch / seconds);
                perCpu.Add(flops / cpuSeconds / 1e9);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"batch {batch} run {run + 1}: {seconds:F2} s, {batch / seconds:F2} embeddings/s, {flops / seconds / 1e9:F0} GFLOP/s wall, {perCpu[^1]:F0} GFLOP per CPU-second"));
            }

            rates.Sort();
            perCpu.Sort();
            double median = rates[rates.Count / 2];
            double medianPerCpu = perCpu[perCpu.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch} x {Tokens} tokens: embeddings/s min/med/max {rates[0]:F2} / {median:F2} / {rates[^1]:F2}; {median * flops / batch / 1e9:F0} GFLOP/s = {median * flops / batch / 1e9 / peak:P0} of the wall peak; {medianPerCpu:F0} GFLOP per CPU-second = {medianPerCpu / peakPerCpu:P0} of the probe's ({flops / batch / 1e9:F1} GFLOP per embedding)"));
        }
    }

    private static EncoderModel Create(EncoderConfig config, int threads)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        float Next(float scale)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (((uint)state / (float)uint.MaxValue) - 0.5f) * 2 * scale;
        }

        WeightMatrix Matrix(int rows, int cols, float scale)
        {
            var m = new WeightMatrix(rows, cols, ElementType.F32);
            var values = new Span<float>(m.F32, rows * cols);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Next(scale);
            }

            return m;
        }

        PackedMatrix Packed(int rows, int cols)
        {
            using WeightMatrix m = Matrix(rows, cols, 1f / MathF.Sqrt(cols));
            return new PackedMatrix(m, new float[rows]);
        }

        (float[], float[]) Norm() => (Enumerable.Repeat(1f, config.HiddenSize).ToArray(), new float[config.HiddenSize]);
        int h = config.HiddenSize;
        var layers = new EncoderLayer[config.Layers];
        for (int i = 0; i < config.Layers; i++)
        {
            layers[i] = new EncoderLayer(Packed(3 * h, h), Packed(h, h), Norm(), Packed(config.IntermediateSize, h), Packed(h, config.IntermediateSize), Norm());
        }

        var weights = new EncoderWeights(Matrix(config.VocabSize, h, 1f), Matrix(config.MaxPositionEmbeddings, h, 0.5f), new float[h], Norm(), layers);
        return new EncoderModel(config, weights, threads);
    }
}
