using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Dot products of an int8 weight row with int8-quantized activation rows, Q8_0-style. Layout: the weight row is
/// <c>n</c> contiguous int8 values (n a multiple of 32) with one f32 scale per block of 32; each activation row is <c>n</c> int8 values plus its own block scales, rows
/// <c>stride</c> apart. Per block: an exact int32 dot (AVX-VNNI <c>vpdpbusd</c> with the sign trick, or AVX2
/// <c>vpmaddubsw</c>/<c>vpmaddwd</c>), then one FMA with the product of the two scales. Weights are prefetched 2 KiB ahead
/// (without it int8 streams at about half the DRAM bandwidth on this kind of machine).
/// </summary>
internal static unsafe class QuantizedDot
{
    /// <summary>Values per block, each block with one scale.</summary>
    public const int Block = 32;

    private const int PrefetchBytes = 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Q8(sbyte* w, float* wScale, sbyte* x, float* xScale, int n)
    {
        int blocks = n / Block;
        if (Avx2.IsSupported)
        {
            Vector256<float> a0 = default, a1 = default;
            int b = 0;
            if (AvxVnni.IsSupported)
            {
                for (; b <= blocks - 8; b += 8)
                {
                    a0 = EightBlocks(w + (b * Block), wScale + b, x + (b * Block), xScale + b, a0);
                }
            }

            for (; b <= blocks - 2; b += 2)
            {
                sbyte* wb = w + (b * Block);
                Sse.Prefetch0(wb + PrefetchBytes);
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(wb, x + (b * Block))), Vector256.Create(wScale[b] * xScale[b]), a0);
                a1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(wb + Block, x + ((b + 1) * Block))), Vector256.Create(wScale[b + 1] * xScale[b + 1]), a1);
            }

            for (; b < blocks; b++)
            {
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(w + (b * Block), x + (b * Block))), Vector256.Create(wScale[b] * xScale[b]), a0);
            }

            return Vector256.Sum(a0 + a1);
        }

        float sum = 0;
        for (int b = 0; b < blocks; b++)
        {
            sum += ScalarBlock(w + (b * Block), x + (b * Block)) * wScale[b] * xScale[b];
        }

        return sum;
    }

    /// <summary>Four dot products of one weight row with activation rows x, x+stride, x+2·stride, x+3·stride (scales <c>blocks</c> apart): each block is loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Q8x4(sbyte* w, float* wScale, sbyte* x, float* xScale, int stride, int n, float* result)
    {
        int blocks = n / Block;
        sbyte* x1 = x + stride, x2 = x + 2 * stride, x3 = x + 3 * stride;
        float* s1 = xScale + blocks, s2 = xScale + 2 * blocks, s3 = xScale + 3 * blocks;
        if (Avx2.IsSupported)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int b = 0; b < blocks; b++)
            {
                int at = b * Block;
                Sse.Prefetch0(w + at + PrefetchBytes);
                Vector256<sbyte> wv = Avx.LoadVector256(w + at);
                Vector256<byte> magnitude = Avx2.Abs(wv);
                float ws = wScale[b];
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x + at)), Vector256.Create(ws * xScale[b]), a0);
                a1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x1 + at)), Vector256.Create(ws * s1[b]), a1);
                a2 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x2 + at)), Vector256.Create(ws * s2[b]), a2);
                a3 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x3 + at)), Vector256.Create(ws * s3[b]), a3);
            }

            result[0] = Vector256.Sum(a0);
            result[1] = Vector256.Sum(a1);
            result[2] = Vector256.Sum(a2);
            result[3] = Vector256.Sum(a3);
            return;
        }

        result[0] = Q8(w, wScale, x, xScale, n);
        result[1] = Q8(w, wScale, x1, s1, n);
        result[2] = Q8(w, wScale, x2, s2, n);
        result[3] = Q8(w, wScale, x3, s3, n);
    }

    /// <summary>
    /// <see cref="Q8"/> for int8 weights with one scale per 16 values (Q6_K's sub-blocks, <c>n / 16</c> scales): the
    /// block dot's lanes 0–3 sum the first 16 pairs and lanes 4–7 the second, so each half gets its own scale.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Q8By16(sbyte* w, float* wScale, sbyte* x, float* xScale, int n)
    {
        int blocks = n / Block;
        if (Avx2.IsSupported)
        {
            Vector256<float> a0 = default;
            for (int b = 0; b < blocks; b++)
            {
                Sse.Prefetch0(w + (b * Block) + PrefetchBytes);
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(w + (b * Block), x + (b * Block))), HalfScales(wScale + (2 * b)) * xScale[b], a0);
            }

            return Vector256.Sum(a0);
        }

        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += w[i] * x[i] * wScale[i / 16] * xScale[i / Block];
        }

        return sum;
    }

    /// <summary><see cref="Q8By16"/> for four activation rows, as <see cref="Q8x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Q8By16x4(sbyte* w, float* wScale, sbyte* x, float* xScale, int stride, int n, float* result)
    {
        int blocks = n / Block;
        if (!Avx2.IsSupported)
        {
            for (int t = 0; t < 4; t++)
            {
                result[t] = Q8By16(w, wScale, x + (t * stride), xScale + (t * blocks), n);
            }

            return;
        }

        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int b = 0; b < blocks; b++)
        {
            int at = b * Block;
            Sse.Prefetch0(w + at + PrefetchBytes);
            Vector256<sbyte> wv = Avx.LoadVector256(w + at);
            Vector256<byte> magnitude = Avx2.Abs(wv);
            Vector256<float> ws = HalfScales(wScale + (2 * b));
            a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x + at)), ws * xScale[b], a0);
            a1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x + stride + at)), ws * xScale[blocks + b], a1);
            a2 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x + (2 * stride) + at)), ws * xScale[(2 * blocks) + b], a2);
            a3 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(SignedDot(magnitude, wv, x + (3 * stride) + at)), ws * xScale[(3 * blocks) + b], a3);
        }

        result[0] = Vector256.Sum(a0);
        result[1] = Vector256.Sum(a1);
        result[2] = Vector256.Sum(a2);
        result[3] = Vector256.Sum(a3);
    }

    // Two scales as [s0 ×4, s1 ×4], matching the lanes of a block dot over 2 × 16 values.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> HalfScales(float* scales) => Vector256.Create(Vector128.Create(scales[0]), Vector128.Create(scales[1]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlockDot(sbyte* w, sbyte* x)
    {
        Vector256<sbyte> wv = Avx.LoadVector256(w);
        return SignedDot(Avx2.Abs(wv), wv, x);
    }

    // Eight blocks of one row scaled together (<see cref="BlockSums"/>).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EightBlocks(sbyte* w, float* wScale, sbyte* x, float* xScale, Vector256<float> sum)
    {
        Sse.Prefetch0(w + PrefetchBytes);
        Sse.Prefetch0(w + PrefetchBytes + 64);
        Sse.Prefetch0(w + PrefetchBytes + 128);
        Sse.Prefetch0(w + PrefetchBytes + 192);
        Vector256<int> dots = BlockSums.Gather(
            BlockDot(w, x), BlockDot(w + 32, x + 32), BlockDot(w + 64, x + 64), BlockDot(w + 96, x + 96),
            BlockDot(w + 128, x + 128), BlockDot(w + 160, x + 160), BlockDot(w + 192, x + 192), BlockDot(w + 224, x + 224));
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(dots), Vector256.Load(wScale) * Vector256.Load(xScale), sum);
    }

    // Σ w·x over 32 pairs as 8 int32 partial sums: |w| (u8) times x with w's sign (s8). |w| ≤ 127, so the 16-bit pair
    // sums of vpmaddubsw (≤ 2·127·127) cannot saturate.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SignedDot(Vector256<byte> magnitude, Vector256<sbyte> w, sbyte* x)
    {
        Vector256<sbyte> signed = Avx2.Sign(Avx.LoadVector256(x), w);
        if (AvxVnni.IsSupported)
        {
            return AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, magnitude, signed);
        }

        return Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, signed), Vector256.Create((short)1));
    }

    private static int ScalarBlock(sbyte* w, sbyte* x)
    {
        int sum = 0;
        for (int i = 0; i < Block; i++)
        {
            sum += w[i] * x[i];
        }

        return sum;
    }
}
