using Nlps.Inference.Kernels;

namespace Nlps.Inference.Tests.Kernels;

public sealed unsafe class Int4KernelTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(96)]
    [InlineData(2048)]
    [InlineData(288)]
    public void The_int4_dot_equals_the_exact_nibble_sums_minus_eight_times_the_scales(int n)
    {
        var random = new Random(n);
        int blocks = n / 32;
        byte[] w = [.. Enumerable.Range(0, n / 2).Select(_ => (byte)random.Next(256))];
        sbyte[] x = [.. Enumerable.Range(0, 4 * n).Select(_ => (sbyte)random.Next(-127, 128))];
        float[] ws = [.. Enumerable.Range(0, blocks).Select(_ => (float)random.NextDouble() * 0.01f)];
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
                long sum = 0;
                for (int i = 0; i < 16; i++)
                {
                    byte packed = w[(b * 16) + i];
                    sum += ((packed & 0xF) - 8) * x[(t * n) + (b * 32) + i];
                    sum += ((packed >> 4) - 8) * x[(t * n) + (b * 32) + i + 16];
                }

                expected[t] += sum * (double)ws[b] * xs[(t * blocks) + b];
            }
        }

        var four = new float[4];
        fixed (byte* pw = w)
        fixed (sbyte* px = x)
        fixed (float* pws = ws, pxs = xs, pf = four)
        fixed (int* po = offsets)
        {
            float one = Int4Dot.Q4(pw, pws, px + n, pxs + blocks, po + blocks, n);
            Int4Dot.Q4x4(pw, pws, px, pxs, po, n, n, pf);
            Assert.Equal(expected[1], one, 1e-5 * (1 + Math.Abs(expected[1])));
        }

        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(expected[t], four[t], 1e-5 * (1 + Math.Abs(expected[t])));
        }
    }
}
