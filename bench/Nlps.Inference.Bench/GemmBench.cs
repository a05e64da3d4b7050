using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Bench;

/// <summary>
/// The prefill products alone, alternating kernels run by run in one process: a TinyLlama-shaped set of matrices
/// (q/k/v stacked 2560×2048, o 2048×2048, gate/up stacked 11264×2048, down 2048×5632) times a chunk of tokens, for
/// the f32 GEMM (weights widened, f32 activations), the integer GEMM (AVX-VNNI, int8 activations), the token-lane
/// kernel of small decode batches and the matvec, on int8 and int4 weights. Prints GMAC/s per kernel and format, best and median of the runs.
/// Usage: <c>gemm [threads] [runs] [tokens]</c>.
/// </summary>
internal static unsafe class GemmBench
{
    private static readonly (int Rows, int Cols)[] Shapes = [(2560, 2048), (2048, 2048), (11264, 2048), (2048, 5632)];

    public static int Run(int threads, int runs, int tokens)
    {
        using var pool = new KernelPool(threads);
        using var f32Gemm = new PrefillGemmWork(pool.Participants);
        using var integerGemm = new IntegerGemmWork(pool.Participants);
        using var matvec = new LinearWork();
        using var lanes = new TokenLaneWork();
        var random = new Random(1);
        foreach (ElementType type in new[] { ElementType.Int8, ElementType.Int4 })
        {
            WeightMatrix[] matrices = [.. Shapes.Select(s => RandomMatrix(type, s.Rows, s.Cols, random))];
            try
            {
                int maxCols = Shapes.Max(s => s.Cols), maxRows = Shapes.Max(s => s.Rows);
                float[] x = [.. Enumerable.Range(0, tokens * maxCols).Select(_ => (float)(random.NextDouble() - 0.5))];
                var y = new float[tokens * maxRows];
                double macs = (double)tokens * Shapes.Sum(s => (long)s.Rows * s.Cols);
                var results = new Dictionary<string, List<double>> { ["f32-gemm"] = [], ["integer-gemm"] = [], ["token-lanes"] = [], ["matvec"] = [] };
                fixed (float* px = x, py = y)
                {
                    float* xp = px, yp = py;
                    for (int run = -1; run < runs; run++)
                    {
                        Measure("f32-gemm", m => f32Gemm.Run(pool, m, null, xp, m.Cols, yp, m.Rows, tokens));
                        Measure("integer-gemm", m => integerGemm.Run(pool, m, null, xp, m.Cols, yp, m.Rows, tokens));
                        Measure("token-lanes", m => lanes.Run(pool, m, null, xp, m.Cols, yp, m.Rows, tokens));
                        Measure("matvec", m => matvec.Run(pool, m, null, xp, m.Cols, yp, m.Rows, tokens));

                        void Measure(string kernel, Action<WeightMatrix> product)
                        {
                            long start = Stopwatch.GetTimestamp();
                            foreach (WeightMatrix m in matrices)
                            {
                                product(m);
                            }

                            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                            if (run >= 0)
                            {
                                results[kernel].Add(macs / seconds / 1e9);
                            }
                        }
                    }
                }

                foreach ((string kernel, List<double> rates) in results)
                {
                    rates.Sort();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GEMM {type} {kernel} tokens={tokens} threads={threads}: best {rates[^1]:F1} / median {rates[rates.Count / 2]:F1} GMAC/s"));
                }
            }
            finally
            {
                foreach (WeightMatrix m in matrices)
                {
                    m.Dispose();
                }
            }
        }

        return 0;
    }

    private static WeightMatrix RandomMatrix(ElementType type, int rows, int cols, Random random)
    {
        var w = new WeightMatrix(rows, cols, type);
        var row = new float[cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                row[c] = (float)(random.NextDouble() - 0.5);
            }

            w.CopyRows(r, 1, MemoryMarshal.AsBytes(row.AsSpan()), "F32", "bench");
        }

        return w;
    }
}
