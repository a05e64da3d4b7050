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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float BF16(ushort* w, float* x, int n)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 64; i += 64)
            {
                // 2 KiB ahead: bf16 rows stream from DRAM like int8 ones, and the hardware prefetcher alone leaves bandwidth unused.
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + i + PrefetchElements);
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + i + PrefetchElements + 32);
                var (l0, h0) = Vector512.Widen(Vector512.Load(w + i));
                var (l1, h1) = Vector512.Widen(Vector512.Load(w + i + 32));
                a0 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(l0, 16).AsSingle(), Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(h0, 16).AsSingle(), Vector512.Load(x + i + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(l1, 16).AsSingle(), Vector512.Load(x + i + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(h1, 16).AsSingle(), Vector512.Load(x + i + 48), a3);
            }

            for (; i <= n - 32; i += 32)
            {
                var (l0, h0) = Vector512.Widen(Vector512.Load(w + i));
                a0 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(l0, 16).AsSingle(), Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(h0, 16).AsSingle(), Vector512.Load(x + i + 16), a1);
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default;
            for (; i <= n - 16; i += 16)
            {
                var (l0, h0) = Vector256.Widen(Vector256.Load(w + i));
                a0 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(l0, 16).AsSingle(), Vector256.Load(x + i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(h0, 16).AsSingle(), Vector256.Load(x + i + 8), a1);
            }

            sum = Vector256.Sum(a0 + a1);
        }

        for (; i < n; i++)
        {
            sum = MathF.FusedMultiplyAdd(BitConverter.Int32BitsToSingle(w[i] << 16), x[i], sum);
        }

        return sum;
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

    /// <summary>As <see cref="F32x4"/> for a bf16 weight row: each 32 weights are widened once and used four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BF16x4(ushort* w, float* x, int stride, int n, float* result)
    {
        float* x1 = x + stride, x2 = x + 2 * stride, x3 = x + 3 * stride;
        int i = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 32; i += 32)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + i + PrefetchElements);
                var (lo, hi) = Vector512.Widen(Vector512.Load(w + i));
                var v = Vector512.ShiftLeft(lo, 16).AsSingle();
                var u = Vector512.ShiftLeft(hi, 16).AsSingle();
                a0 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x + i), a0));
                a1 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x1 + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x1 + i), a1));
                a2 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x2 + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x2 + i), a2));
                a3 = Vector512.FusedMultiplyAdd(u, Vector512.Load(x3 + i + 16), Vector512.FusedMultiplyAdd(v, Vector512.Load(x3 + i), a3));
            }

            (s0, s1, s2, s3) = (Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 16; i += 16)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Load(w + i));
                var v = Vector256.ShiftLeft(lo, 16).AsSingle();
                var u = Vector256.ShiftLeft(hi, 16).AsSingle();
                a0 = Vector256.FusedMultiplyAdd(u, Vector256.Load(x + i + 8), Vector256.FusedMultiplyAdd(v, Vector256.Load(x + i), a0));
                a1 = Vector256.FusedMultiplyAdd(u, Vector256.Load(x1 + i + 8), Vector256.FusedMultiplyAdd(v, Vector256.Load(x1 + i), a1));
                a2 = Vector256.FusedMultiplyAdd(u, Vector256.Load(x2 + i + 8), Vector256.FusedMultiplyAdd(v, Vector256.Load(x2 + i), a2));
                a3 = Vector256.FusedMultiplyAdd(u, Vector256.Load(x3 + i + 8), Vector256.FusedMultiplyAdd(v, Vector256.Load(x3 + i), a3));
            }

            (s0, s1, s2, s3) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
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
