using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, r] = W[r, :] · x[t, :] (+ bias[r]) for a decode batch of a few sequences with int8 or int4 weights (Q8_0, Q4_0
/// and the K-quant layouts: Q6_K's scale per 16, Q4_K's min per block), the tokens
/// along the lanes of AVX-VNNI <c>vpdpbusd</c>: the activations (quantized as every int kernel quantizes them) are
/// packed per quad of 4 columns as 8 tokens × 4 bytes, and each weight quad, as unsigned bytes (int8 value + 128, or
/// the int4 nibble), is broadcast against them, so one instruction advances 8 tokens by 4 columns with no horizontal
/// sums and no repacking of the weights, which stream from memory once per step in their own layout. Four rows share
/// each activation load. The unsigned bias comes back per block through −8·Σx (int4) or −128·Σx (int8, per 16 values
/// for Q6_K's halves); Q4_K's mins through min·Σx.
/// Parallel over groups of 4 rows; tokens beyond 8 go in further passes of 8.
/// </summary>
internal sealed unsafe class TokenLaneWork : IParallelWork, IDisposable
{
    /// <summary>Tokens per pass (the lanes of a 256-bit int32 vector).</summary>
    public const int Lanes = 8;

    private const int Rows = 4;
    private const int QuadsPerBlock = QuantizedDot.Block / 4;

    private readonly QuantizedActivations _x = new();
    private NativeBuffer<int>? _quads;
    private NativeBuffer<float>? _scales;
    private NativeBuffer<int>? _offsets;
    private NativeBuffer<int>? _halfOffsets;
    private NativeBuffer<float>? _activationSums;
    private WeightMatrix? _w;
    private float* _bias;
    private float* _y;
    private int _yStride;
    private int _first;
    private int _count;

    /// <summary>Whether this machine and <paramref name="w"/>'s layout can go through the lanes.</summary>
    public static bool Supports(WeightMatrix w) => AvxVnni.IsSupported && w.Type is ElementType.Int8 or ElementType.Int4 or ElementType.Int8Block16 or ElementType.Int4Min;

    public void Run(KernelPool pool, WeightMatrix w, float* bias, float* x, int xStride, float* y, int yStride, int tokens)
    {
        int blocks = w.BlocksPerRow;
        _x.Quantize(x, xStride, tokens, w.Cols, offsets: true);
        NativeBuffer<int>.Grow(ref _quads, (long)blocks * QuadsPerBlock * Lanes);
        NativeBuffer<float>.Grow(ref _scales, (long)blocks * Lanes);
        NativeBuffer<int>.Grow(ref _offsets, (long)blocks * Lanes);
        NativeBuffer<int>.Grow(ref _halfOffsets, 2L * blocks * Lanes);
        NativeBuffer<float>.Grow(ref _activationSums, (long)blocks * Lanes);
        _w = w;
        _bias = bias;
        _y = y;
        _yStride = yStride;
        for (_first = 0; _first < tokens; _first += Lanes)
        {
            _count = Math.Min(Lanes, tokens - _first);
            PackTokens(w);
            int groups = (w.Rows + Rows - 1) / Rows;
            pool.Run(this, groups, LinearWork.Grain(groups));
        }

        _w = null;
    }

    public void Execute(int start, int end, int participant)
    {
        WeightMatrix w = _w!;
        var source = new UnsignedRows(w);
        var shape = new Shape(source.Int8, w.Type == ElementType.Int8Block16 ? 2 : 1, source.BlockBytes, w.BlocksPerRow);
        byte* unpacked = stackalloc byte[Rows * QuantizedDot.Block];
        float* sums = stackalloc float[Rows * Lanes];
        byte** rows = stackalloc byte*[Rows];
        float** rowScales = stackalloc float*[Rows];
        float** rowMins = stackalloc float*[Rows];
        for (int g = start; g < end; g++)
        {
            int r0 = g * Rows;
            for (int i = 0; i < Rows; i++)
            {
                // Rows past the end repeat the last one; their sums are not stored.
                int r = Math.Min(r0 + i, w.Rows - 1);
                rows[i] = source.Row(r);
                rowScales[i] = w.Scales + ((long)r * w.ScalesPerRow);
                rowMins[i] = w.Type == ElementType.Int4Min ? w.Mins + ((long)r * w.BlocksPerRow) : null;
            }

            if (shape.Groups == 2)
            {
                Multiply<TwoScaleGroups>(rows, rowScales, rowMins, shape, unpacked, sums);
            }
            else
            {
                Multiply<OneScaleGroup>(rows, rowScales, rowMins, shape, unpacked, sums);
            }

            for (int i = 0; i < Math.Min(Rows, w.Rows - r0); i++)
            {
                float bias = _bias != null ? _bias[r0 + i] : 0f;
                for (int j = 0; j < _count; j++)
                {
                    _y[((long)(_first + j) * _yStride) + r0 + i] = sums[(i * Lanes) + j] + bias;
                }
            }
        }
    }

    public void Dispose()
    {
        _x.Dispose();
        _quads?.Dispose();
        _scales?.Dispose();
        _offsets?.Dispose();
        _halfOffsets?.Dispose();
        _activationSums?.Dispose();
    }


    // Tokens _first .. _first + _count as lanes: quads [blocks·8][8 lanes]; per block and lane the scale, the offset
    // (−8·Σx for int4, −128·Σx for int8, none for Q4_K, whose mins take scale·Σx instead) and for Q6_K −128·Σx per
    // half block. Empty lanes are zero with scale 0.
    private void PackTokens(WeightMatrix w)
    {
        int blocks = w.BlocksPerRow, cols = w.Cols;
        int shift = w.Type == ElementType.Int8 ? 4 : 0;
        bool withMins = w.Type == ElementType.Int4Min, byHalves = w.Type == ElementType.Int8Block16;
        int* quads = _quads!.Pointer;
        float* scales = _scales!.Pointer;
        int* offsets = _offsets!.Pointer;
        int* halfOffsets = _halfOffsets!.Pointer;
        float* activationSums = _activationSums!.Pointer;
        for (int j = 0; j < Lanes; j++)
        {
            bool present = j < _count;
            sbyte* values = _x.Values + ((long)(_first + j) * cols);
            float* xs = _x.Scales + ((long)(_first + j) * blocks);
            int* xo = _x.Offsets + ((long)(_first + j) * blocks);
            for (int q = 0; q < blocks * QuadsPerBlock; q++)
            {
                quads[(q * Lanes) + j] = present ? ((int*)values)[q] : 0;
            }

            for (int b = 0; b < blocks; b++)
            {
                scales[(b * Lanes) + j] = present ? xs[b] : 0f;
                offsets[(b * Lanes) + j] = present && !withMins ? xo[b] << shift : 0;
                if (withMins)
                {
                    activationSums[(b * Lanes) + j] = present ? xs[b] * (xo[b] / -8f) : 0f;
                }

                if (byHalves)
                {
                    halfOffsets[(2 * b * Lanes) + j] = present ? HalfOffset(values + (b * QuantizedDot.Block)) : 0;
                    halfOffsets[(((2 * b) + 1) * Lanes) + j] = present ? HalfOffset(values + (b * QuantizedDot.Block) + 16) : 0;
                }
            }
        }
    }

    // −128·Σx over 16 activation values: the bias of int8 weights stored + 128, for one of Q6_K's scale groups.
    private static int HalfOffset(sbyte* values)
    {
        int sum = 0;
        for (int i = 0; i < 16; i++)
        {
            sum += values[i];
        }

        return -128 * sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Multiply<TGroups>(byte** rows, float** rowScales, float** rowMins, Shape shape, byte* unpacked, float* sums)
        where TGroups : struct, IScaleGroups
    {
        byte* u0 = unpacked, u1 = u0 + 32, u2 = u1 + 32, u3 = u2 + 32;
        int* quads = _quads!.Pointer;
        float* scales = _scales!.Pointer;
        int* groupOffsets = TGroups.Count == 2 ? _halfOffsets!.Pointer : _offsets!.Pointer;
        float* activationSums = _activationSums!.Pointer;
        int quadsPerGroup = QuadsPerBlock / TGroups.Count;
        bool int8 = shape.Int8;
        int blockBytes = shape.BlockBytes;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int b = 0; b < shape.Blocks; b++)
        {
            long at = (long)b * blockBytes;
            Sse.Prefetch0(rows[0] + at + 512);
            Sse.Prefetch0(rows[1] + at + 512);
            Sse.Prefetch0(rows[2] + at + 512);
            Sse.Prefetch0(rows[3] + at + 512);
            UnsignedRows.Block(rows[0] + at, int8).Store(u0);
            UnsignedRows.Block(rows[1] + at, int8).Store(u1);
            UnsignedRows.Block(rows[2] + at, int8).Store(u2);
            UnsignedRows.Block(rows[3] + at, int8).Store(u3);
            Vector256<float> xs = Vector256.Load(scales + (b * Lanes));

            // One scale group per block (Q8_0, Q4_0, Q4_K) or two of 16 values (Q6_K).
            for (int h = 0; h < TGroups.Count; h++)
            {
                int group = (b * TGroups.Count) + h;
                Vector256<int> a0 = Vector256.Load(groupOffsets + (group * Lanes)), a1 = a0, a2 = a0, a3 = a0;
                int* x = quads + (((b * QuadsPerBlock) + (h * quadsPerGroup)) * Lanes);
                for (int q = h * quadsPerGroup; q < (h + 1) * quadsPerGroup; q++, x += Lanes)
                {
                    Vector256<sbyte> v = Vector256.Load(x).AsSByte();
                    a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.Create(((int*)u0)[q]).AsByte(), v);
                    a1 = AvxVnni.MultiplyWideningAndAdd(a1, Vector256.Create(((int*)u1)[q]).AsByte(), v);
                    a2 = AvxVnni.MultiplyWideningAndAdd(a2, Vector256.Create(((int*)u2)[q]).AsByte(), v);
                    a3 = AvxVnni.MultiplyWideningAndAdd(a3, Vector256.Create(((int*)u3)[q]).AsByte(), v);
                }

                s0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a0), xs * Vector256.Create(rowScales[0][group]), s0);
                s1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a1), xs * Vector256.Create(rowScales[1][group]), s1);
                s2 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a2), xs * Vector256.Create(rowScales[2][group]), s2);
                s3 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a3), xs * Vector256.Create(rowScales[3][group]), s3);
            }

            if (rowMins[0] != null)
            {
                // Q4_K: value = nibble·scale − min, so each row also takes −min·(scale_x·Σx).
                Vector256<float> activationSum = Vector256.Load(activationSums + (b * Lanes));
                s0 = Vector256.FusedMultiplyAdd(activationSum, Vector256.Create(-rowMins[0][b]), s0);
                s1 = Vector256.FusedMultiplyAdd(activationSum, Vector256.Create(-rowMins[1][b]), s1);
                s2 = Vector256.FusedMultiplyAdd(activationSum, Vector256.Create(-rowMins[2][b]), s2);
                s3 = Vector256.FusedMultiplyAdd(activationSum, Vector256.Create(-rowMins[3][b]), s3);
            }
        }

        s0.Store(sums);
        s1.Store(sums + Lanes);
        s2.Store(sums + (2 * Lanes));
        s3.Store(sums + (3 * Lanes));
    }

    // A layout as the kernel walks it: int8 or nibble bytes, scale groups per block, bytes per block of a row, blocks per row.
    private readonly record struct Shape(bool Int8, int Groups, int BlockBytes, int Blocks);

    // Scale groups per block of 32, as a type so that each count gets its own compiled kernel.
    private interface IScaleGroups
    {
        static abstract int Count { get; }
    }

    private readonly struct OneScaleGroup : IScaleGroups
    {
        public static int Count => 1;
    }

    private readonly struct TwoScaleGroups : IScaleGroups
    {
        public static int Count => 2;
    }
}
