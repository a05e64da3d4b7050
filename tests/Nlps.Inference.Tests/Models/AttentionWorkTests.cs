using Nlps.Inference.Kernels;
using Nlps.Inference.Models.Llama;

namespace Nlps.Inference.Tests.Models;

/// <summary>
/// Grouped-query attention, both ways the engine runs it: 16 queries along the lanes (AVX-512) and one (row, head) at
/// a time (everything else), against attention computed in double precision from its definition.
/// </summary>
public sealed unsafe class AttentionWorkTests
{
    // Head size 12 leaves a partial 8-dimension tile; 6 query heads over 2 kv heads (groups of 3), so a prompt chunk of
    // 7 rows gives 21 queries per kv head: one full group of 16 and a partial one, cut in the middle of a row.
    private static readonly LlamaConfig Config = new()
    {
        ModelType = "llama",
        HiddenSize = 72,
        IntermediateSize = 96,
        Layers = 2,
        Heads = 6,
        KvHeads = 2,
        HeadDim = 12,
        VocabSize = 10,
        MaxPositionEmbeddings = 64,
    };

    public static TheoryData<bool> Paths() => LaneAttention.IsSupported ? new TheoryData<bool> { true, false } : new TheoryData<bool> { false };

    // A prompt chunk: rows 0..6 of one cache at positions 5..11 (positions 0..4 written earlier), layer 1.
    [Theory]
    [MemberData(nameof(Paths))]
    public void A_prompt_chunk_attends_causally_to_its_cache(bool lanes)
    {
        using var cache = new KvCache(Config, 16);
        var random = new Random(3);
        Fill(cache, 1, 12, random);
        int[] positions = [5, 6, 7, 8, 9, 10, 11];
        KvCache[] caches = [.. positions.Select(_ => cache)];

        AssertMatchesDefinition(lanes, caches, positions, random);
    }

    // A decode batch: one row per cache, different lengths, and two rows of the same cache that are not consecutive
    // positions (so they may not share keys as one run).
    [Theory]
    [MemberData(nameof(Paths))]
    public void A_decode_batch_attends_each_row_to_its_own_cache(bool lanes)
    {
        using var a = new KvCache(Config, 16);
        using var b = new KvCache(Config, 16);
        var random = new Random(4);
        Fill(a, 1, 16, random);
        Fill(b, 1, 16, random);
        KvCache[] caches = [a, b, a, b];
        int[] positions = [0, 13, 9, 2];

        AssertMatchesDefinition(lanes, caches, positions, random);
    }

    private static void AssertMatchesDefinition(bool lanes, KvCache[] caches, int[] positions, Random random)
    {
        int rows = positions.Length, qStride = Config.Heads * Config.HeadDim, outStride = qStride + 5;
        float[] q = [.. Enumerable.Range(0, rows * qStride).Select(_ => (float)((random.NextDouble() * 4) - 2))];
        float[] output = Enumerable.Repeat(float.NaN, rows * outStride).ToArray();
        using var pool = new KernelPool(2);
        using var attention = new AttentionWork(Config, pool.Participants, lanes);
        attention.Reserve(16);
        fixed (float* pq = q, po = output)
        {
            attention.Run(pool, 1, caches, positions, rows, pq, qStride, po, outStride);
        }

        for (int r = 0; r < rows; r++)
        {
            for (int h = 0; h < Config.Heads; h++)
            {
                double[] expected = Definition(caches[r], positions[r], q.AsSpan((r * qStride) + (h * Config.HeadDim), Config.HeadDim), h / (Config.Heads / Config.KvHeads));
                for (int d = 0; d < Config.HeadDim; d++)
                {
                    Assert.Equal(expected[d], output[(r * outStride) + (h * Config.HeadDim) + d], 1e-5);
                }
            }

            Assert.All(output.AsSpan((r * outStride) + qStride, outStride - qStride).ToArray(), v => Assert.True(float.IsNaN(v)));
        }
    }

    // softmax_t(q·k_t / √d) · v over positions 0..position.
    private static double[] Definition(KvCache cache, int position, ReadOnlySpan<float> q, int kvHead)
    {
        int dim = Config.HeadDim;
        float* keys = cache.Keys(1, kvHead), values = cache.Values(1, kvHead);
        var scores = new double[position + 1];
        for (int t = 0; t <= position; t++)
        {
            double dot = 0;
            for (int d = 0; d < dim; d++)
            {
                dot += (double)q[d] * keys[(t * dim) + d];
            }

            scores[t] = dot / Math.Sqrt(dim);
        }

        double max = scores.Max();
        double[] weights = [.. scores.Select(s => Math.Exp(s - max))];
        double sum = weights.Sum();
        var result = new double[dim];
        for (int t = 0; t <= position; t++)
        {
            for (int d = 0; d < dim; d++)
            {
                result[d] += weights[t] / sum * values[(t * dim) + d];
            }
        }

        return result;
    }

    private static void Fill(KvCache cache, int layer, int positions, Random random)
    {
        for (int h = 0; h < Config.KvHeads; h++)
        {
            for (int i = 0; i < positions * Config.HeadDim; i++)
            {
                cache.Keys(layer, h)[i] = (float)((random.NextDouble() * 4) - 2);
                cache.Values(layer, h)[i] = (float)((random.NextDouble() * 2) - 1);
            }
        }
    }
}
