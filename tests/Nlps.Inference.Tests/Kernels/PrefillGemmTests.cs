using System.Runtime.InteropServices;
using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Kernels;

public sealed unsafe class PrefillGemmTests
{
    // 4,192 columns at 33 tokens (two panels) cut the depth into blocks of 2,048, 2,048 and 96, so later blocks
    // continue from what earlier ones wrote; 37 rows leave a partial 8-row tile; 33 tokens a partial 32-token panel.
    [Theory]
    [InlineData(nameof(ElementType.F32))]
    [InlineData(nameof(ElementType.BF16))]
    [InlineData(nameof(ElementType.Int8))]
    [InlineData(nameof(ElementType.Int4))]
    public void The_gemm_equals_the_double_precision_product_of_the_stored_weights(string typeName)
    {
        ElementType type = Enum.Parse<ElementType>(typeName);
        if (!PrefillGemmWork.IsSupported)
        {
            return; // without AVX-512 the engine never routes here (LinearWork does all products)
        }

        const int rows = 37, cols = 4192;
        var random = new Random(3);
        using var w = new WeightMatrix(rows, cols, type);
        float[] source = Enumerable.Range(0, rows * cols).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        w.CopyRows(0, rows, MemoryMarshal.AsBytes(source.AsSpan()), "F32", "test");

        AssertGemmMultipliesTheStoredWeights(w, random);
    }

    // The K-quant layouts (Q4_K as int4 with a min, Q6_K as int8 with a scale per 16) widen by their own formulas;
    // 4,352 columns (17 super-blocks) cut into depth blocks of 2,048, 2,048 and 256.
    [Theory]
    [InlineData("Q4_K", nameof(ElementType.Int4Min))]
    [InlineData("Q6_K", nameof(ElementType.Int8Block16))]
    public void The_gemm_multiplies_k_quant_layouts_by_their_stored_values(string dtype, string typeName)
    {
        if (!PrefillGemmWork.IsSupported)
        {
            return; // without AVX-512 the engine never routes here (LinearWork does all products)
        }

        const int rows = 37, cols = 4352;
        var random = new Random(5);
        float[] source = Enumerable.Range(0, rows * cols).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        byte[] encoded = new byte[rows * (cols / GgmlKQuants.SuperBlock) * (dtype == "Q4_K" ? GgmlKQuants.Q4KBytes : GgmlKQuants.Q6KBytes)];
        if (dtype == "Q4_K")
        {
            GgmlKQuants.QuantizeQ4K(source, encoded);
        }
        else
        {
            GgmlKQuants.QuantizeQ6K(source, encoded);
        }

        using var w = new WeightMatrix(rows, cols, Enum.Parse<ElementType>(typeName));
        w.CopyRows(0, rows, encoded, dtype, "test");

        AssertGemmMultipliesTheStoredWeights(w, random);
    }

    // 33 tokens (two panels, the second partial) against every row, y wider than the rows: each output equals the
    // double-precision product of the row as stored plus its bias, and the columns past the rows stay untouched.
    private static void AssertGemmMultipliesTheStoredWeights(WeightMatrix w, Random random)
    {
        const int tokens = 33, yStride = 40;
        int rows = w.Rows, cols = w.Cols;
        float[] x = Enumerable.Range(0, tokens * cols).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] bias = Enumerable.Range(0, rows).Select(i => i * 0.25f).ToArray();
        float[] y = Enumerable.Repeat(float.NaN, tokens * yStride).ToArray();

        using var pool = new KernelPool(2);
        using var gemm = new PrefillGemmWork(pool.Participants);
        fixed (float* px = x, py = y, pb = bias)
        {
            gemm.Run(pool, w, pb, px, cols, py, yStride, tokens);
        }

        var row = new float[cols];
        for (int r = 0; r < rows; r++)
        {
            w.ReadRow(r, row);
            for (int t = 0; t < tokens; t++)
            {
                double expected = bias[r];
                for (int k = 0; k < cols; k++)
                {
                    expected += (double)row[k] * x[(t * cols) + k];
                }

                Assert.Equal(expected, y[(t * yStride) + r], 1e-4);
            }
        }

        Assert.All(Enumerable.Range(0, tokens).SelectMany(t => Enumerable.Range(rows, yStride - rows).Select(c => y[(t * yStride) + c])), v => Assert.True(float.IsNaN(v)));
    }
}
