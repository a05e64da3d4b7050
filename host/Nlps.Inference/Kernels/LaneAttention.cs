using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Causal attention of up to 16 queries that read the same keys and values (the query heads of one kv head, over one
/// or several rows of a sequence), with the queries along the 512-bit lanes: every key element is broadcast once and
/// multiplies all 16 queries, so scores, softmax and the weighted sum of values need no horizontal sums and no
/// per-key calls. Works for any head size. Layout: queries transposed as [headDim][16] (already scaled by 1/√headDim,
/// unused lanes zero); keys and values [position][headDim]; lane j sees positions 0..limits[j].
/// </summary>
internal static unsafe class LaneAttention
{
    /// <summary>Queries per call.</summary>
    public const int Lanes = 16;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Writes the attention output of lane j (headDim floats) to <paramref name="outputs"/>[j] for j &lt; <paramref name="count"/>.
    /// <paramref name="scores"/> needs <paramref name="length"/> × 16 floats, <paramref name="transposed"/> headDim × 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* queries, int* limits, int count, int length, float* keys, float* values, int headDim, float* scores, float* transposed, float** outputs)
    {
        Vector512<int> limit = Vector512.Load(limits);
        Vector512<float> max = Scores(queries, limit, length, keys, headDim, scores);
        Vector512<float> sum = Vector512<float>.Zero;
        for (int t = 0; t < length; t++)
        {
            Vector512<float> p = Vector512.Exp(Vector512.Load(scores + (t * Lanes)) - max);
            p.Store(scores + (t * Lanes));
            sum += p;
        }

        WeightedValues(scores, length, values, headDim, transposed);
        float* inverse = stackalloc float[Lanes];
        (Vector512<float>.One / sum).Store(inverse);
        for (int j = 0; j < count; j++)
        {
            float* output = outputs[j];
            for (int d = 0; d < headDim; d++)
            {
                output[d] = transposed[(d * Lanes) + j] * inverse[j];
            }
        }
    }

    // scores[t·16 + j] = q_j · k_t, −∞ where t > limits[j]; returns the per-lane maximum.
    private static Vector512<float> Scores(float* queries, Vector512<int> limit, int length, float* keys, int headDim, float* scores)
    {
        Vector512<float> max = Vector512.Create(float.NegativeInfinity);
        int t = 0;
        for (; t + 4 <= length; t += 4)
        {
            float* k0 = keys + ((long)t * headDim), k1 = k0 + headDim, k2 = k1 + headDim, k3 = k2 + headDim;
            Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
            float* q = queries;
            for (int d = 0; d < headDim; d++, q += Lanes)
            {
                Vector512<float> qv = Vector512.Load(q);
                s0 = Vector512.FusedMultiplyAdd(qv, Vector512.Create(k0[d]), s0);
                s1 = Vector512.FusedMultiplyAdd(qv, Vector512.Create(k1[d]), s1);
                s2 = Vector512.FusedMultiplyAdd(qv, Vector512.Create(k2[d]), s2);
                s3 = Vector512.FusedMultiplyAdd(qv, Vector512.Create(k3[d]), s3);
            }

            max = Store(s0, t, limit, scores, max);
            max = Store(s1, t + 1, limit, scores, max);
            max = Store(s2, t + 2, limit, scores, max);
            max = Store(s3, t + 3, limit, scores, max);
        }

        for (; t < length; t++)
        {
            float* k = keys + ((long)t * headDim);
            Vector512<float> s = Vector512<float>.Zero;
            for (int d = 0; d < headDim; d++)
            {
                s = Vector512.FusedMultiplyAdd(Vector512.Load(queries + (d * Lanes)), Vector512.Create(k[d]), s);
            }

            max = Store(s, t, limit, scores, max);
        }

        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Store(Vector512<float> s, int t, Vector512<int> limit, float* scores, Vector512<float> max)
    {
        Vector512<float> masked = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Create(t), limit).AsSingle(), Vector512.Create(float.NegativeInfinity), s);
        masked.Store(scores + (t * Lanes));
        return Vector512.Max(max, masked);
    }

    // transposed[d·16 + j] = Σ_t p[t·16 + j] · v_t[d], eight dimensions at a time.
    private static void WeightedValues(float* p, int length, float* values, int headDim, float* transposed)
    {
        int d0 = 0;
        for (; d0 + 8 <= headDim; d0 += 8)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            float* v = values + d0;
            for (int t = 0; t < length; t++, v += headDim)
            {
                Vector512<float> w = Vector512.Load(p + (t * Lanes));
                a0 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[0]), a0);
                a1 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[1]), a1);
                a2 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[2]), a2);
                a3 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[3]), a3);
                a4 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[4]), a4);
                a5 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[5]), a5);
                a6 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[6]), a6);
                a7 = Vector512.FusedMultiplyAdd(w, Vector512.Create(v[7]), a7);
            }

            float* o = transposed + (d0 * Lanes);
            a0.Store(o);
            a1.Store(o + Lanes);
            a2.Store(o + (2 * Lanes));
            a3.Store(o + (3 * Lanes));
            a4.Store(o + (4 * Lanes));
            a5.Store(o + (5 * Lanes));
            a6.Store(o + (6 * Lanes));
            a7.Store(o + (7 * Lanes));
        }

        for (; d0 < headDim; d0++)
        {
            Vector512<float> a = Vector512<float>.Zero;
            for (int t = 0; t < length; t++)
            {
                a = Vector512.FusedMultiplyAdd(Vector512.Load(p + (t * Lanes)), Vector512.Create(values[((long)t * headDim) + d0]), a);
            }

            a.Store(transposed + (d0 * Lanes));
        }
    }
}
