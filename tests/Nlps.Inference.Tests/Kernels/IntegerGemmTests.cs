using System.Runtime.InteropServices;
using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Kernels;

public sealed unsafe class IntegerGemmTests
{
    public static TheoryData<string, string, int> KernelsTypesAndTokens()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string type in new[] { nameof(ElementType.Int8), nameof(ElementType.Int4), nameof(ElementType.Int4Min) })
        {
            foreach (int tokens in new[] { 1, 4, 7, 33 })
            {
                data.Add(nameof(IntegerGemmWork), type, tokens);
            }
        }

        // The lanes also take the K-quant layouts: Q6_K's scale per 16 values and Q4_K's min per block.
        foreach (string type in new[] { nameof(ElementType.Int8), nameof(ElementType.Int4), nameof(ElementType.Int8Block16), nameof(ElementType.Int4Min) })
        {
            foreach (int tokens in new[] { 1, 5, 8, 13 })
            {
                data.Add(nameof(TokenLaneWork), type, tokens);
            }
        }

        return data;
    }

    // Both integer kernels multiply the same int8 activations and stored weights as the decode kernels (LinearWork), so
    // they agree up to f32 rounding order. 37 rows leave a partial 16-row panel (and 4-row group); the token counts leave
    // partial 6-token tiles, and for the lanes partial and second passes of 8. y is wider than the rows and the columns
    // past them must stay untouched.
    [Theory]
    [MemberData(nameof(KernelsTypesAndTokens))]
    public void The_integer_kernels_equal_the_decode_kernels(string kernel, string typeName, int tokens)
    {
        using var w = RandomMatrix(Enum.Parse<ElementType>(typeName), rows: 37, cols: 4192, seed: 11);
        if (!TokenLaneWork.Supports(w) || (kernel == nameof(IntegerGemmWork) && !IntegerGemmWork.Supports(w)))
        {
            return; // without AVX-VNNI the engine never routes here (LinearWork does all products)
        }

        const int yStride = 40;
        var random = new Random(tokens);
        float[] x = Enumerable.Range(0, tokens * w.Cols).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] bias = Enumerable.Range(0, w.Rows).Select(i => i * 0.25f).ToArray();
        float[] expected = Enumerable.Repeat(float.NaN, tokens * yStride).ToArray();
        float[] actual = Enumerable.Repeat(float.NaN, tokens * yStride).ToArray();

        using var pool = new KernelPool(2);
        using var linear = new LinearWork();
        using var gemm = new IntegerGemmWork(pool.Participants);
        using var lanes = new TokenLaneWork();
        fixed (float* px = x, pb = bias, pe = expected, pa = actual)
        {
            linear.Run(pool, w, pb, px, w.Cols, pe, yStride, tokens);
            if (kernel == nameof(IntegerGemmWork))
            {
                gemm.Run(pool, w, pb, px, w.Cols, pa, yStride, tokens);
            }
            else
            {
                lanes.Run(pool, w, pb, px, w.Cols, pa, yStride, tokens);
            }
        }

        for (int t = 0; t < tokens; t++)
        {
            for (int r = 0; r < yStride; r++)
            {
                float e = expected[(t * yStride) + r], a = actual[(t * yStride) + r];
                if (r >= w.Rows)
                {
                    Assert.True(float.IsNaN(a), $"token {t}: column {r} past the rows was written");
                    continue;
                }

                Assert.True(Math.Abs(e - a) <= 1e-4 * Math.Max(1, Math.Abs(e)), $"{kernel}, token {t}, row {r}: decode kernels {e}, integer kernel {a}");
            }
        }
    }

    // A second, smaller matrix after a larger one reuses the grown buffers: nothing of the first call leaks in.
    [Fact]
    public void A_smaller_product_after_a_larger_one_is_not_affected_by_it()
    {
        using var large = RandomMatrix(ElementType.Int8, rows: 64, cols: 256, seed: 1);
        using var small = RandomMatrix(ElementType.Int8, rows: 16, cols: 64, seed: 2);
        if (!IntegerGemmWork.Supports(small))
        {
            return;
        }

        using var pool = new KernelPool(2);
        using var fresh = new IntegerGemmWork(pool.Participants);
        using var reused = new IntegerGemmWork(pool.Participants);
        float[] x = Enumerable.Range(0, 9 * 256).Select(i => MathF.Sin(i)).ToArray();
        var y = new float[9 * 64];
        var expected = new float[3 * 16];
        var actual = new float[3 * 16];
        fixed (float* px = x, py = y, pe = expected, pa = actual)
        {
            reused.Run(pool, large, null, px, 256, py, 64, 9);
            reused.Run(pool, small, null, px, 256, pa, 16, 3);
            fresh.Run(pool, small, null, px, 256, pe, 16, 3);
        }

        Assert.Equal(expected, actual);
    }

    private static WeightMatrix RandomMatrix(ElementType type, int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var w = new WeightMatrix(rows, cols, type);
        float[] source = Enumerable.Range(0, rows * cols).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        w.CopyRows(0, rows, MemoryMarshal.AsBytes(source.AsSpan()), "F32", "test");
        return w;
    }
}
