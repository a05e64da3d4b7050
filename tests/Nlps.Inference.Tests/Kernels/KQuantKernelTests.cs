using Nlps.Inference.Kernels;

namespace Nlps.Inference.Tests.Kernels;

public sealed unsafe class KQuantKernelTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(256)]
    [InlineData(2048)]
    public void The_int8_dot_with_a_scale_per_16_equals_the_exact_half_block_sums_times_their_scales(int n)
    {
        var random = new Random(n);
        int blocks = n / 32;
        sbyte[] w = [.. Enumerable.Range(0, n).Select(_ => (sbyte)random.Next(-32, 32))];
        sbyte[] x = [.. Enumerable.Range(0, 4 * n).Select(_ => (sbyte)random.Next(-127, 128))];
        float[] ws = [.. Enumerable.Range(0, n / 16).Select(_ => (float)(random.NextDouble() - 0.3) * 0.01f)];
        float[] xs = [.. Enumerable.Range(0, 4 * blocks).Select(_ => (float)random.NextDouble() * 0.01f)];
        var expected = new double[4];
        for (int t = 0; t < 4; t++)
        {
            for (int k = 0; k < n / 16; k++)
            {
                long sum = 0;
                for (int i = 0; i < 16; i++)
                {
                    sum += w[(k * 16) + i] * x[(t * n) + (k * 16) + i];
                }

                expected[t] += sum * (double)ws[k] * xs[(t * blocks) + (k / 2)];
            }
        }

        var four = new float[4];
        fixed (sbyte* pw = w, px = x)
        fixed (float* pws = ws, pxs = xs, pf = four)
        {
            float one = QuantizedDot.Q8By16(pw, pws, px + n, pxs + blocks, n);
            QuantizedDot.Q8By16x4(pw, pws, px, pxs, n, n, pf);
            Assert.Equal(expected[1], one, 1e-5 * (1 + Math.Abs(expected[1])));
        }

        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(expected[t], four[t], 1e-5 * (1 + Math.Abs(expected[t])));
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(256)]
    [InlineData(2048)]
    public void The_int4_dot_with_mins_equals_nibble_times_scale_minus_min_summed_over_the_activations(int n)
    {
        var random = new Random(n + 1);
        int blocks = n / 32;
        byte[] w = [.. Enumerable.Range(0, n / 2).Select(_ => (byte)random.Next(256))];
        sbyte[] x = [.. Enumerable.Range(0, 4 * n).Select(_ => (sbyte)random.Next(-127, 128))];
        float[] ws = [.. Enumerable.Range(0, blocks).Select(_ => (float)random.NextDouble() * 0.01f)];
        float[] mins = [.. Enumerable.Range(0, blocks).Select(_ => (float)random.NextDouble() * 0.05f)];
        float[] xs = [.. Enumerable.Range(0, 4 * blocks).Select(_ => (float)random.NextDouble() * 0.01f)];
        int[] offsets = new int[4 * blocks];
        for (int t = 0; t < 4; t++)
        {
            Int4Dot.Offsets(x.AsSpan(t * n, n), offsets.AsSpan(t * blocks, blocks));
        }

        var expected = new double[4];
        for (int t = 0; t < 4; t++)
        {
            for (int b = 0; b < blocks; b++)
            {
                for (int i = 0; i < 16; i++)
                {
                    byte packed = w[(b * 16) + i];
                    double xl = x[(t * n) + (b * 32) + i] * (double)xs[(t * blocks) + b];
                    double xh = x[(t * n) + (b * 32) + i + 16] * (double)xs[(t * blocks) + b];
                    expected[t] += (((packed & 0xF) * (double)ws[b]) - mins[b]) * xl;
                    expected[t] += (((packed >> 4) * (double)ws[b]) - mins[b]) * xh;
                }
            }
        }

        var four = new float[4];
        fixed (byte* pw = w)
        fixed (sbyte* px = x)
        fixed (float* pws = ws, pm = mins, pxs = xs, pf = four)
        fixed (int* po = offsets)
        {
            float one = Int4Dot.Q4Min(pw, pws, pm, px + n, pxs + blocks, po + blocks, n);
            Int4Dot.Q4Minx4(pw, pws, pm, px, pxs, po, n, n, pf);
            Assert.Equal(expected[1], one, 1e-5 * (1 + Math.Abs(expected[1])));
        }

        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(expected[t], four[t], 1e-5 * (1 + Math.Abs(expected[t])));
        }
    }
}
