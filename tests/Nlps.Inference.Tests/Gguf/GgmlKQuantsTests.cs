using System.Runtime.InteropServices;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Gguf;

/// <summary>Hand-built Q4_K and Q6_K blocks decoded by ggml's reference formulas (ggml-quants.c), written out here independently.</summary>
public sealed class GgmlKQuantsTests
{
    private static readonly int[] Q4Scales = [1, 2, 3, 4, 17, 33, 50, 63];
    private static readonly int[] Q4Mins = [0, 5, 10, 15, 20, 40, 48, 62];

    [Fact]
    public void A_hand_built_q4_k_block_dequantizes_to_ggmls_values_exactly()
    {
        byte[] block = Q4KBlock();
        float[] expected = Q4KReference(block);
        var values = new float[256];

        GgmlBlocks.ToSingle(block, "Q4_K", values);

        Assert.Equal(expected, values);
        Assert.Equal(0.5f * 63 * (block[16 + 96 + 31] >> 4) - (0.25f * 62), values[255]);
    }

    [Fact]
    public void A_hand_built_q6_k_block_dequantizes_to_ggmls_values_exactly()
    {
        byte[] block = Q6KBlock();
        float[] expected = Q6KReference(block);
        var values = new float[256];

        GgmlBlocks.ToSingle(block, "Q6_K", values);

        Assert.Equal(expected, values);
        Assert.Contains(expected, v => v < 0);
    }

    [Theory]
    [InlineData("Q4_K", "Int4Min")]
    [InlineData("Q6_K", "Int8Block16")]
    [InlineData("Q4_K", "F32")]
    public void K_quant_rows_load_into_engine_matrices_with_the_same_values(string dtype, string layout)
    {
        byte[] block = dtype == "Q4_K" ? Q4KBlock() : Q6KBlock();
        byte[] other = [.. block];
        MemoryMarshal.Write(other.AsSpan(dtype == "Q4_K" ? 0 : 208), (Half)(-2f));
        byte[] rows = [.. block, .. other];
        var expected = new float[512];
        GgmlBlocks.ToSingle(rows, dtype, expected);
        using var matrix = new WeightMatrix(2, 256, Enum.Parse<ElementType>(layout));

        matrix.CopyRows(0, 2, rows, dtype, "w");

        var row = new float[256];
        for (int r = 0; r < 2; r++)
        {
            matrix.ReadRow(r, row);
            Assert.Equal(expected.AsSpan(r * 256, 256).ToArray(), row);
        }
    }

    [Theory]
    [InlineData("Q4_K", 0.075)]
    [InlineData("Q6_K", 0.02)]
    public void Quantizing_random_rows_keeps_the_error_within_the_formats_step(string dtype, double relativeRms)
    {
        var random = new Random(3);
        float[] values = [.. Enumerable.Range(0, 1024).Select(i => (float)(random.NextDouble() - 0.4) * (i < 256 ? 3f : 0.02f))];
        byte[] encoded = new byte[dtype == "Q4_K" ? 4 * GgmlKQuants.Q4KBytes : 4 * GgmlKQuants.Q6KBytes];
        var decoded = new float[1024];

        if (dtype == "Q4_K")
        {
            GgmlKQuants.QuantizeQ4K(values, encoded);
        }
        else
        {
            GgmlKQuants.QuantizeQ6K(values, encoded);
        }

        GgmlBlocks.ToSingle(encoded, dtype, decoded);
        for (int b = 0; b < 4; b++)
        {
            double error = 0, energy = 0;
            for (int i = b * 256; i < (b + 1) * 256; i++)
            {
                error += Math.Pow(values[i] - decoded[i], 2);
                energy += values[i] * (double)values[i];
            }

            Assert.True(Math.Sqrt(error / energy) < relativeRms, $"{dtype} block {b}: relative rms error {Math.Sqrt(error / energy):F4}");
        }
    }

    // d = 0.5, dmin = 0.25 and small integer scales keep every value exact in f32.
    private static byte[] Q4KBlock()
    {
        var block = new byte[GgmlKQuants.Q4KBytes];
        MemoryMarshal.Write(block, (Half)0.5f);
        MemoryMarshal.Write(block.AsSpan(2), (Half)0.25f);
        for (int j = 0; j < 4; j++)
        {
            block[4 + j] = (byte)(Q4Scales[j] | ((Q4Scales[j + 4] >> 4) << 6));
            block[8 + j] = (byte)(Q4Mins[j] | ((Q4Mins[j + 4] >> 4) << 6));
            block[12 + j] = (byte)((Q4Scales[j + 4] & 0xF) | ((Q4Mins[j + 4] & 0xF) << 4));
        }

        for (int p = 0; p < 128; p++)
        {
            block[16 + p] = (byte)((p * 37) + 11);
        }

        return block;
    }

    private static byte[] Q6KBlock()
    {
        var block = new byte[GgmlKQuants.Q6KBytes];
        for (int p = 0; p < 128; p++)
        {
            block[p] = (byte)((p * 53) + 7);
        }

        for (int p = 0; p < 64; p++)
        {
            block[128 + p] = (byte)((p * 29) + 3);
        }

        for (int k = 0; k < 16; k++)
        {
            block[192 + k] = (byte)(sbyte)((k * 9) - 70);
        }

        MemoryMarshal.Write(block.AsSpan(208), (Half)0.125f);
        return block;
    }

    // dequantize_row_q4_K: per 64 values, sub-blocks is and is + 1 share 32 bytes of qs (low, then high nibbles).
    private static float[] Q4KReference(byte[] block)
    {
        var y = new float[256];
        float d = 0.5f, min = 0.25f;
        int at = 0, q = 16, sub = 0;
        for (int j = 0; j < 256; j += 64)
        {
            float d1 = d * Q4Scales[sub], m1 = min * Q4Mins[sub];
            float d2 = d * Q4Scales[sub + 1], m2 = min * Q4Mins[sub + 1];
            for (int l = 0; l < 32; l++)
            {
                y[at++] = (d1 * (block[q + l] & 0xF)) - m1;
            }

            for (int l = 0; l < 32; l++)
            {
                y[at++] = (d2 * (block[q + l] >> 4)) - m2;
            }

            q += 32;
            sub += 2;
        }

        return y;
    }

    // dequantize_row_q6_K: two halves of 128 (ql +64, qh +32, scales +8 each).
    private static float[] Q6KReference(byte[] block)
    {
        var y = new float[256];
        float d = 0.125f;
        for (int n = 0; n < 2; n++)
        {
            int ql = 64 * n, qh = 128 + (32 * n), sc = 192 + (8 * n);
            for (int l = 0; l < 32; l++)
            {
                int s = l / 16;
                int q1 = ((block[ql + l] & 0xF) | (((block[qh + l] >> 0) & 3) << 4)) - 32;
                int q2 = ((block[ql + l + 32] & 0xF) | (((block[qh + l] >> 2) & 3) << 4)) - 32;
                int q3 = ((block[ql + l] >> 4) | (((block[qh + l] >> 4) & 3) << 4)) - 32;
                int q4 = ((block[ql + l + 32] >> 4) | (((block[qh + l] >> 6) & 3) << 4)) - 32;
                y[(128 * n) + l] = d * (sbyte)block[sc + s] * q1;
                y[(128 * n) + l + 32] = d * (sbyte)block[sc + s + 2] * q2;
                y[(128 * n) + l + 64] = d * (sbyte)block[sc + s + 4] * q3;
                y[(128 * n) + l + 96] = d * (sbyte)block[sc + s + 6] * q4;
            }
        }

        return y;
    }
}
