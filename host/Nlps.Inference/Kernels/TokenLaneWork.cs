using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, r] = W[r, :] · x[t, :] (+ bias[r]) for a decode batch of a few sequences with int8 or int4 weights, the tokens
/// along the lanes of AVX-VNNI <c>vpdpbusd</c>: the activations (quantized as every int kernel quantizes them) are
/// packed per quad of 4 columns as 8 tokens × 4 bytes, and each weight quad, as unsigned bytes (int8 value + 128, or
/// the int4 nibble), is broadcast against them, so one instruction advances 8 tokens by 4 columns with no horizontal
/// sums and no repacking of the weights, which stream from memory once per step in their own layout. Four rows share
/// each activation load. The unsigned bias comes back per block through −8·Σx (int4) or −128·Σx (int8).
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
    private WeightMatrix? _w;
    private float* _bias;
    private float* _y;
    private int _yStride;
    private int _first;
    private int _count;

    /// <summary>Whether this machine and <paramref name="w"/>'s layout can go through the lanes.</summary>
    public static bool Supports(WeightMatrix w) => AvxVnni.IsSupported && w.Type is ElementType.Int8 or ElementType.Int4;

    public void Run(KernelPool pool, WeightMatrix w, float* bias, float* x, int xStride, float* y, int yStride, int tokens)
    {
        int blocks = w.BlocksPerRow;
        _x.Quantize(x, xStride, tokens, w.Cols, offsets: true);
        Grow(ref _quads, (long)blocks * QuadsPerBlock * Lanes);
        Grow(ref _scales, (long)blocks * Lanes);
        Grow(ref _offsets, (long)blocks * Lanes);
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
        bool int8 = w.Type == ElementType.Int8;
        int blocks = w.BlocksPerRow;
        long rowBytes = int8 ? w.Cols : w.Cols / 2;
        int blockBytes = int8 ? QuantizedDot.Block : QuantizedDot.Block / 2;
        byte* data = int8 ? (byte*)w.Q8 : w.Q4;
        byte* unpacked = stackalloc byte[Rows * QuantizedDot.Block];
        float* sums = stackalloc float[Rows * Lanes];
        byte** rows = stackalloc byte*[Rows];
        float** rowScales = stackalloc float*[Rows];
        for (int g = start; g < end; g++)
        {
            int r0 = g * Rows;
            for (int i = 0; i < Rows; i++)
            {
                // Rows past the end repeat the last one; their sums are not stored.
                int r = Math.Min(r0 + i, w.Rows - 1);
                rows[i] = data + (r * rowBytes);
                rowScales[i] = w.Scales + ((long)r * blocks);
            }

            Multiply(rows, rowScales, blockBytes, int8, blocks, unpacked, sums);
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
    }

    private static void Grow<T>(ref NativeBuffer<T>? buffer, long length)
        where T : unmanaged
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = new NativeBuffer<T>(length);
        }
    }

    // One block of a row as 32 unsigned bytes in column order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unsigned(byte* block, bool int8, byte* destination)
    {
        if (int8)
        {
            (Vector256.Load(block) ^ Vector256.Create((byte)0x80)).Store(destination);
            return;
        }

        Vector128<byte> bytes = Vector128.Load(block);
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        (bytes & mask).Store(destination);
        Vector128.ShiftRightLogical(bytes, 4).Store(destination + 16);
    }

    // Tokens _first .. _first + _count as lanes: quads [blocks·8][8 lanes], scales and offsets [blocks][8 lanes];
    // empty lanes are zero with scale 0.
    private void PackTokens(WeightMatrix w)
    {
        int blocks = w.BlocksPerRow, cols = w.Cols, shift = w.Type == ElementType.Int8 ? 4 : 0;
        int* quads = _quads!.Pointer;
        float* scales = _scales!.Pointer;
        int* offsets = _offsets!.Pointer;
        for (int j = 0; j < Lanes; j++)
        {
            bool present = j < _count;
            int* values = (int*)(_x.Values + ((long)(_first + j) * cols));
            float* xs = _x.Scales + ((long)(_first + j) * blocks);
            int* xo = _x.Offsets + ((long)(_first + j) * blocks);
            for (int q = 0; q < blocks * QuadsPerBlock; q++)
            {
                quads[(q * Lanes) + j] = present ? values[q] : 0;
            }

            for (int b = 0; b < blocks; b++)
            {
                scales[(b * Lanes) + j] = present ? xs[b] : 0f;
                offsets[(b * Lanes) + j] = present ? xo[b] << shift : 0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Multiply(byte** rows, float** rowScales, int blockBytes, bool int8, int blocks, byte* unpacked, float* sums)
    {
        byte* u0 = unpacked, u1 = u0 + 32, u2 = u1 + 32, u3 = u2 + 32;
        int* quads = _quads!.Pointer;
        float* scales = _scales!.Pointer;
        int* offsets = _offsets!.Pointer;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int b = 0; b < blocks; b++)
        {
            long at = (long)b * blockBytes;
            Sse.Prefetch0(rows[0] + at + 512);
            Sse.Prefetch0(rows[1] + at + 512);
            Sse.Prefetch0(rows[2] + at + 512);
            Sse.Prefetch0(rows[3] + at + 512);
            Unsigned(rows[0] + at, int8, u0);
            Unsigned(rows[1] + at, int8, u1);
            Unsigned(rows[2] + at, int8, u2);
            Unsigned(rows[3] + at, int8, u3);
            Vector256<int> a0 = Vector256.Load(offsets + (b * Lanes)), a1 = a0, a2 = a0, a3 = a0;
            int* x = quads + (b * QuadsPerBlock * Lanes);
            for (int q = 0; q < QuadsPerBlock; q++, x += Lanes)
            {
                Vector256<sbyte> v = Vector256.Load(x).AsSByte();
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.Create(((int*)u0)[q]).AsByte(), v);
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, Vector256.Create(((int*)u1)[q]).AsByte(), v);
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, Vector256.Create(((int*)u2)[q]).AsByte(), v);
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, Vector256.Create(((int*)u3)[q]).AsByte(), v);
            }

            Vector256<float> xs = Vector256.Load(scales + (b * Lanes));
            s0 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a0), xs * Vector256.Create(rowScales[0][b]), s0);
            s1 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a1), xs * Vector256.Create(rowScales[1][b]), s1);
            s2 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a2), xs * Vector256.Create(rowScales[2][b]), s2);
            s3 = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(a3), xs * Vector256.Create(rowScales[3][b]), s3);
        }

        s0.Store(sums);
        s1.Store(sums + Lanes);
        s2.Store(sums + (2 * Lanes));
        s3.Store(sums + (3 * Lanes));
    }
}
