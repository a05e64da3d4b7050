using Nlps.Inference.Kernels;

namespace Nlps.Inference.Tests.Kernels;

public sealed unsafe class QuantizedKernelTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(2048)]
    [InlineData(288)]
    public void The_int8_dot_equals_the_exact_integer_block_sums_times_the_scales(int n)
    {
        var random = new Random(n);
        int blocks = n / 32;
        sbyte[] w = Enumerable.Range(0, n).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        sbyte[] x = Enumerable.Range(0, 4 * n).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        float[] ws = Enumerable.Range(0, blocks).Select(_ => (float)random.NextDouble() * 0.01f).ToArray();
        float[] xs = Enumerable.Range(0, 4 * blocks).Select(_ => (float)random.NextDouble() * 0.01f).ToArray();
        var expected = new double[4];
        for (int t = 0; t < 4; t++)
        {
            for (int b = 0; b < blocks; b++)
            {
                long sum = 0;
                for (int i = 0; i < 32; i++)
                {
                    sum += w[(b * 32) + i] * x[(t * n) + (b * 32) + i];
                }

                expected[t] += sum * (double)ws[b] * xs[(t * blocks) + b];
            }
        }

        var four = new float[4];
        fixed (sbyte* pw = w, px = x)
        fixed (float* pws = ws, pxs = xs, pf = four)
        {
            float one = QuantizedDot.Q8(pw, pws, px + n, pxs + blocks, n);
            QuantizedDot.Q8x4(pw, pws, px, pxs, n, n, pf);
            Assert.Equal(expected[1], one, 1e-5 * (1 + Math.Abs(expected[1])));
        }

        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(expected[t], four[t], 1e-5 * (1 + Math.Abs(expected[t])));
        }
    }

    [Fact]
    public void Block_quantization_is_within_half_a_step_and_keeps_each_blocks_largest_value()
    {
        var random = new Random(7);
        float[] values = Enumerable.Range(0, 128).Select(i => (float)((random.NextDouble() - 0.5) * (i < 32 ? 100 : 0.01))).ToArray();
        values.AsSpan(64, 32).Clear();
        var quants = new sbyte[128];
        var scales = new float[4];
        BlockQuantizer.Quantize(values, quants, scales, new float[128]);

        Assert.Equal(0f, scales[2]);
        Assert.All(quants[64..96], q => Assert.Equal(0, q));
        for (int i = 0; i < values.Length; i++)
        {
            float d = scales[i / 32];
            Assert.InRange(Math.Abs((quants[i] * d) - values[i]), 0, (d / 2) + 1e-7);
        }

        for (int b = 0; b < 4; b++)
        {
            if (scales[b] > 0)
            {
                Assert.Contains(quants[(b * 32)..((b + 1) * 32)], q => Math.Abs(q) == 127);
            }
        }
    }
}
