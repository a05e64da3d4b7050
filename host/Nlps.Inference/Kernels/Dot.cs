using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Dot products of one weight row with one or four activation rows. Layout: the weight row is <c>n</c> contiguous
/// elements (f32, or bf16 bit patterns widened to f32 by a 16-bit shift in registers); activations are contiguous f32
/// rows <c>stride</c> elements apart. 512-bit when the CPU has it, else 256-bit, scalar for the tail.
/// </summary>
internal static unsafe class Dot
{
    // 2 KiB of bf16 weights.
    private const int PrefetchElements = 1024;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float F32(float* w, float* x, int n)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 64; i += 64)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i), Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i + 16), Vector512.Load(x + i + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i + 32), Vector512.Load(x + i + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i + 48), Vector512.Load(x + i + 48), a3);
            }

            for (; i <= n - 16; i += 16)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i), Vector512.Load(x + i), a0);
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 32; i += 32)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i), Vector256.Load(x + i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 8), Vector256.Load(x + i + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 16), Vector256.Load(x + i + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 24), Vector256.Load(x + i + 24), a3);
            }

            for (; i <= n - 8; i += 8)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i), Vector256.Load(x + i), a0);
            }

            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }

        for (; i < n; i++)
        {
            sum = MathF.FusedMultiplyAdd(w[i], x[i], sum);
        }

        return sum;
    }

    /// <summary>
    /// Dot product of a bf16 weight row with an activation row in <see cref="PairForBF16"/> order. 32 bf16 weights
    /// loaded as 16 uints hold element 2i in the low half of lane i and 2i + 1 in the high half, so a shift and a mask
    /// widen them in place (no cross-lane widening), which is why the activations come with evens and odds apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float BF16(ushort* w, float* x, int n)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<uint> odd = Vector512.Create(0xFFFF0000u);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 64; i += 64)
            {
                // 2 KiB ahead: bf16 rows stream from DRAM like int8 ones, and the hardware prefetcher alone leaves bandwidth unused.
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + i + PrefetchElements);
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + i + PrefetchElements + 32);
                Vector512<uint> p0 = Vector512.Load((uint*)(w + i));
                Vector512<uint> p1 = Vector512.Load((uint*)(w + i + 32));
                a0 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(p0, 16).AsSingle(), Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd((p0 & odd).AsSingle(), Vector512.Load(x + i + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(p1, 16).AsSingle(), Vector512.Load(x + i + 32), a2);
                a3 = Vector512.FusedMultiplyAdd((p1 & odd).AsSingle(), Vector512.Load(x + i + 48), a3);
            }

            for (; i <= n - 32; i += 32)
            {
                Vector512<uint> p0 = Vector512.Load((uint*)(w + i));
                a0 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(p0, 16).AsSingle(), Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd((p0 & odd).AsSingle(), Vector512.Load(x + i + 16), a1);
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> odd = Vector256.Create(0xFFFF0000u);
            Vector256<float> a0 = default, a1 = default;
            for (; i <= n - 32; i += 32)
            {
                Vector256<uint> p0 = Vector256.Load((uint*)(w + i));
                Vector256<uint> p1 = Vector256.Load((uint*)(w + i + 16));
                a0 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(p0, 16).AsSingle(), Vector256.Load(x + i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(p1, 16).AsSingle(), Vector256.Load(x + i + 8), a1);
                a0 = Vector256.FusedMultiplyAdd((p0 & odd).AsSingle(), Vector256.Load(x + i + 16), a0);
                a1 = Vector256.FusedMultiplyAdd((p1 & odd).AsSingle(), Vector256.Load(x + i + 24), a1);
            }

            sum = Vector256.Sum(a0 + a1);
        }
        else
        {
            for (; i <= n - 32; i += 32)
            {
                for (int j = 0; j < 16; j++)
                {
                    sum = MathF.FusedMultiplyAdd(BitConverter.Int32BitsToSingle(w[i + (2 * j)] << 16), x[i + j], sum);
                    sum = MathF.FusedMultiplyAdd(BitConverter.Int32BitsToSingle(w[i + (2 * j) + 1] << 16), x[i + 16 + j], sum);
                }
            }
        }

        // Past the last full block of 32 the activations are in natural order.
        for (; i < n; i++)
        {
            sum = MathF.FusedMultiplyAdd(BitConverter.Int32BitsToSingle(w[i] << 16), x[i], sum);
        }

        return sum;
    }

    /// <summary>
    /// Reorders an activation row for <see cref="BF16"/>: within each full block of 32 the 16 even-indexed values, then
    /// the 16 odd-indexed ones; a tail shorter than 32 is copied as is.
    /// </summary>
    public static void PairForBF16(float* x, int n, float* paired)
    {
        int i = 0;
        for (; i <= n - 32; i += 32)
        {
            for (int j = 0; j < 16; j++)
            {
                paired[i + j] = x[i + (2 * j)];
                paired[i + 16 + j] = x[i + (2 * j) + 1];
            }
        }

        for (; i < n; i++)
        {
            paired[i] = x[i];
        }
    }

    /// <summary>Four dot products of one f32 weight row with activation rows x, x+stride, x+2·stride, x+3·stride: the row is read once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void F32x4(float* w, float* x, int stride, int n, float* result)
    {
        float* x1 = x + stride, x2 = x + 2 * stride, x3 = x + 3 * stride;
        int i = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.Load(w + i);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x1 + i), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x2 + i), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x3 + i), a3);
            }

            (s0, s1, s2, s3) = (Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.Load(w + i);
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x + i), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x1 + i), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x2 + i), a2);
                a3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x3 + i), a3);
            }

            (s0, s1, s2, s3) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }

        for (; i < n; i++)
        {
            float v = w[i];
            s0 = MathF.FusedMultiplyAdd(v, x[i], s0);
            s1 = MathF.FusedMultiplyAdd(v, x1[i], s1);
            s2 = MathF.FusedMultiplyAdd(v, x2[i], s2);
            s3 = MathF.FusedMultiplyAdd(v, x3[i], s3);
        }

        result[0] = s0;
        result[1] = s1;
        result[2] = s2;
        result[3] = s3;
    }

    /// <summary>As <see cref="F32x4"/> for a bf16 weight row and activation rows in <see cref="PairForBF16"/> order: each 32 weights are widened once and used four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BF16x4(ushort* w, float* x, int stride, int n, float* result)
    {
        float* x1 = x + stride, x2 = x + 2 * stride, x3 = x + 3 * stride;
        int i = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<uint> odd = Vector512.Create(0xFFFF0000u);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 32; i += 32)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + i + PrefetchElements);
                Vector512<uint> p = Vector512.Load((uint*)(w + i));
                var v = Vector512.ShiftLeft(p, 16).AsSingle();
                var u = (p & odd).AsSingle();
                a0 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x + i), a0));
                a1 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x1 + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x1 + i), a1));
                a2 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x2 + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x2 + i), a2));
                a3 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x3 + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x3 + i), a3));
            }

            (s0, s1, s2, s3) = (Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
        }
        else
        {
            result[0] = BF16(w, x, n);
            result[1] = BF16(w, x1, n);
            result[2] = BF16(w, x2, n);
            result[3] = BF16(w, x3, n);
            return;
        }

        for (; i < n; i++)
        {
            float v = BitConverter.Int32BitsToSingle(w[i] << 16);
            s0 = MathF.FusedMultiplyAdd(v, x[i], s0);
            s1 = MathF.FusedMultiplyAdd(v, x1[i], s1);
            s2 = MathF.FusedMultiplyAdd(v, x2[i], s2);
            s3 = MathF.FusedMultiplyAdd(v, x3[i], s3);
        }

        result[0] = s0;
        result[1] = s1;
        result[2] = s2;
        result[3] = s3;
    }
}
