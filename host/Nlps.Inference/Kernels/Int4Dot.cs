using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Dot products of an int4 weight row (Q4_0-style, see <see cref="Tensors.WeightMatrix"/>: 16 bytes per block of 32,
/// low nibble element j, high nibble element j + 16, one f32 scale per block) with int8-quantized activation rows
/// (<see cref="BlockQuantizer"/>: 32 int8 values and one scale per block, plus −8·Σx per block). Per block the
/// unsigned nibbles are multiplied with the signed activations exactly (AVX-VNNI <c>vpdpbusd</c>, or AVX2
/// <c>vpmaddubsw</c>: 15·127·2 cannot saturate int16), the −8 offset is added back as −8·Σx, then one FMA with the
/// product of the scales. Weights are prefetched 1 KiB ahead.
/// </summary>
internal static unsafe class Int4Dot
{
    private const int PrefetchBytes = 1024;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Q4(byte* w, float* wScale, sbyte* x, float* xScale, int* xOffset, int n)
    {
        int blocks = n / QuantizedDot.Block;
        if (Avx2.IsSupported)
        {
            Vector256<float> a0 = default, a1 = default;
            int b = 0;
            if (AvxVnni.IsSupported)
            {
                for (; b <= blocks - 8; b += 8)
                {
                    a0 = EightBlocks(w + (b * 16), wScale + b, x + (b * 32), xScale + b, xOffset + b, a0);
                }
            }

            for (; b <= blocks - 2; b += 2)
            {
                byte* wb = w + (b * 16);
                Sse.Prefetch0(wb + PrefetchBytes);
                Vector256<byte> n0 = Nibbles(wb), n1 = Nibbles(wb + 16);
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(n0, x + (b * 32), xOffset[b])), Vector256.Create(wScale[b] * xScale[b]), a0);
                a1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(n1, x + ((b + 1) * 32), xOffset[b + 1])), Vector256.Create(wScale[b + 1] * xScale[b + 1]), a1);
            }

            for (; b < blocks; b++)
            {
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(Nibbles(w + (b * 16)), x + (b * 32), xOffset[b])), Vector256.Create(wScale[b] * xScale[b]), a0);
            }

            return Vector256.Sum(a0 + a1);
        }

        float sum = 0;
        for (int b = 0; b < blocks; b++)
        {
            int dot = xOffset[b];
            for (int i = 0; i < 16; i++)
            {
                dot += (w[(b * 16) + i] & 0xF) * x[(b * 32) + i];
                dot += (w[(b * 16) + i] >> 4) * x[(b * 32) + i + 16];
            }

            sum += dot * wScale[b] * xScale[b];
        }

        return sum;
    }

    /// <summary>Four dot products of one weight row with activation rows <paramref name="stride"/> values apart (scales and offsets <c>blocks</c> apart): each block is unpacked once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Q4x4(byte* w, float* wScale, sbyte* x, float* xScale, int* xOffset, int stride, int n, float* result)
    {
        int blocks = n / QuantizedDot.Block;
        if (!Avx2.IsSupported)
        {
            for (int t = 0; t < 4; t++)
            {
                result[t] = Q4(w, wScale, x + (t * stride), xScale + (t * blocks), xOffset + (t * blocks), n);
            }

            return;
        }

        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int b = 0; b < blocks; b++)
        {
            int at = b * 32;
            Sse.Prefetch0(w + (b * 16) + PrefetchBytes);
            Vector256<byte> nibbles = Nibbles(w + (b * 16));
            float ws = wScale[b];
            a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + at, xOffset[b])), Vector256.Create(ws * xScale[b]), a0);
            a1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + stride + at, xOffset[blocks + b])), Vector256.Create(ws * xScale[blocks + b]), a1);
            a2 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + (2 * stride) + at, xOffset[(2 * blocks) + b])), Vector256.Create(ws * xScale[(2 * blocks) + b]), a2);
            a3 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + (3 * stride) + at, xOffset[(3 * blocks) + b])), Vector256.Create(ws * xScale[(3 * blocks) + b]), a3);
        }

        result[0] = Vector256.Sum(a0);
        result[1] = Vector256.Sum(a1);
        result[2] = Vector256.Sum(a2);
        result[3] = Vector256.Sum(a3);
    }

    /// <summary>
    /// The dot of an Int4Min row (Q4_K's sub-blocks: value nibble·scale − min, <paramref name="wMin"/> one min per block)
    /// with one activation row. The nibbles are dotted unsigned as in <see cref="Q4"/>; the mins' term −min·Σx is
    /// min·xOffset / 8, because the activation offsets hold −8·Σx.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Q4Min(byte* w, float* wScale, float* wMin, sbyte* x, float* xScale, int* xOffset, int n)
    {
        int blocks = n / QuantizedDot.Block;
        float mins = 0;
        if (Avx2.IsSupported)
        {
            Vector256<float> a0 = default;
            for (int b = 0; b < blocks; b++)
            {
                Sse.Prefetch0(w + (b * 16) + PrefetchBytes);
                a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(Nibbles(w + (b * 16)), x + (b * 32), 0)), Vector256.Create(wScale[b] * xScale[b]), a0);
                mins += wMin[b] * xScale[b] * xOffset[b];
            }

            return Vector256.Sum(a0) + (mins * 0.125f);
        }

        float sum = 0;
        for (int b = 0; b < blocks; b++)
        {
            int dot = 0;
            for (int i = 0; i < 16; i++)
            {
                dot += (w[(b * 16) + i] & 0xF) * x[(b * 32) + i];
                dot += (w[(b * 16) + i] >> 4) * x[(b * 32) + i + 16];
            }

            sum += dot * wScale[b] * xScale[b];
            mins += wMin[b] * xScale[b] * xOffset[b];
        }

        return sum + (mins * 0.125f);
    }

    /// <summary><see cref="Q4Min"/> for four activation rows, as <see cref="Q4x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Q4Minx4(byte* w, float* wScale, float* wMin, sbyte* x, float* xScale, int* xOffset, int stride, int n, float* result)
    {
        int blocks = n / QuantizedDot.Block;
        if (!Avx2.IsSupported)
        {
            for (int t = 0; t < 4; t++)
            {
                result[t] = Q4Min(w, wScale, wMin, x + (t * stride), xScale + (t * blocks), xOffset + (t * blocks), n);
            }

            return;
        }

        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector128<float> mins = default;
        for (int b = 0; b < blocks; b++)
        {
            int at = b * 32;
            Sse.Prefetch0(w + (b * 16) + PrefetchBytes);
            Vector256<byte> nibbles = Nibbles(w + (b * 16));
            float ws = wScale[b];
            Vector128<float> xs = Vector128.Create(xScale[b], xScale[blocks + b], xScale[(2 * blocks) + b], xScale[(3 * blocks) + b]);
            Vector128<float> offsets = Vector128.ConvertToSingle(Vector128.Create(xOffset[b], xOffset[blocks + b], xOffset[(2 * blocks) + b], xOffset[(3 * blocks) + b]));
            mins = Vector128.FusedMultiplyAdd(xs * wMin[b], offsets, mins);
            a0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + at, 0)), Vector256.Create(ws * xs.GetElement(0)), a0);
            a1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + stride + at, 0)), Vector256.Create(ws * xs.GetElement(1)), a1);
            a2 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + (2 * stride) + at, 0)), Vector256.Create(ws * xs.GetElement(2)), a2);
            a3 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(BlockDot(nibbles, x + (3 * stride) + at, 0)), Vector256.Create(ws * xs.GetElement(3)), a3);
        }

        mins *= 0.125f;
        result[0] = Vector256.Sum(a0) + mins.GetElement(0);
        result[1] = Vector256.Sum(a1) + mins.GetElement(1);
        result[2] = Vector256.Sum(a2) + mins.GetElement(2);
        result[3] = Vector256.Sum(a3) + mins.GetElement(3);
    }

    /// <summary>−8·Σx per block of 32 of an int8 activation row: the nibble offset folded into the integer dot.</summary>
    public static void Offsets(ReadOnlySpan<sbyte> x, Span<int> offsets)
    {
        for (int b = 0; b < offsets.Length; b++)
        {
            int sum = 0;
            foreach (sbyte v in x.Slice(b * 32, 32))
            {
                sum += v;
            }

            offsets[b] = -8 * sum;
        }
    }

    // Eight blocks of one row, two per 32-byte load, scaled together (<see cref="BlockSums"/>).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EightBlocks(byte* w, float* wScale, sbyte* x, float* xScale, int* xOffset, Vector256<float> sum)
    {
        Sse.Prefetch0(w + PrefetchBytes);
        Sse.Prefetch0(w + PrefetchBytes + 64);
        (Vector256<int> d0, Vector256<int> d1) = TwoBlocks(w, x);
        (Vector256<int> d2, Vector256<int> d3) = TwoBlocks(w + 32, x + 64);
        (Vector256<int> d4, Vector256<int> d5) = TwoBlocks(w + 64, x + 128);
        (Vector256<int> d6, Vector256<int> d7) = TwoBlocks(w + 96, x + 192);
        Vector256<int> dots = BlockSums.Gather(d0, d1, d2, d3, d4, d5, d6, d7) + Vector256.Load(xOffset);
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(dots), Vector256.Load(wScale) * Vector256.Load(xScale), sum);
    }

    // Blocks b and b + 1 from one 32-byte load: low nibbles of both, then high nibbles of both, regrouped per block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> First, Vector256<int> Second) TwoBlocks(byte* w, sbyte* x)
    {
        Vector256<byte> packed = Vector256.Load(w);
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<byte> low = packed & mask;
        Vector256<byte> high = Vector256.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & mask;
        Vector256<byte> first = Avx2.Permute2x128(low, high, 0x20);
        Vector256<byte> second = Avx2.Permute2x128(low, high, 0x31);
        return (AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, first, Vector256.Load(x)), AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, second, Vector256.Load(x + 32)));
    }

    // 16 packed bytes → 32 unsigned nibbles in element order: low nibbles (elements 0..15), then high (16..31).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Nibbles(byte* packed)
    {
        Vector128<byte> bytes = Sse2.LoadVector128(packed);
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        return Vector256.Create(bytes & mask, Vector128.ShiftRightLogical(bytes, 4) & mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlockDot(Vector256<byte> nibbles, sbyte* x, int offset)
    {
        Vector256<sbyte> xv = Avx.LoadVector256(x);
        Vector256<int> start = Vector256.CreateScalar(offset);
        if (AvxVnni.IsSupported)
        {
            return AvxVnni.MultiplyWideningAndAdd(start, nibbles, xv);
        }

        return Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(nibbles, xv), Vector256.Create((short)1)) + start;
    }
}
