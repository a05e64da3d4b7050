using Nlps.Inference.Kernels;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Kernels;

public sealed unsafe class KernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(131)]
    public void Dot_kernels_match_double_precision_for_any_length(int n)
    {
        var random = new Random(n);
        float[] w = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        ushort[] wb = w.Select(BFloat16.FromSingle).ToArray();
        float[] x = Enumerable.Range(0, 4 * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var paired = new float[4 * n];
        var four = new float[4];
        var fourBf = new float[4];
        fixed (float* pw = w, px = x, pp = paired, pf = four, pfb = fourBf)
        fixed (ushort* pb = wb)
        {
            for (int t = 0; t < 4; t++)
            {
                Dot.PairForBF16(px + (t * n), n, pp + (t * n));
            }

            Dot.F32x4(pw, px, n, n, pf);
            Dot.BF16x4(pb, pp, n, n, pfb);
            for (int t = 0; t < 4; t++)
            {
                double exact = 0, exactBf = 0;
                for (int i = 0; i < n; i++)
                {
                    exact += (double)w[i] * x[(t * n) + i];
                    exactBf += (double)BFloat16.ToSingle(wb[i]) * x[(t * n) + i];
                }

                Assert.Equal(exact, Dot.F32(pw, px + (t * n), n), 4);
                Assert.Equal(exact, four[t], 4);
                Assert.Equal(exactBf, Dot.BF16(pb, pp + (t * n), n), 4);
                Assert.Equal(exactBf, fourBf[t], 4);
            }
        }
    }

    [Fact]
    public void Bf16_widening_is_exact_and_narrowing_rounds_to_nearest_even()
    {
        float[] values = [1f, -2.5f, 3.14159f, 1e-30f, 65504f, float.PositiveInfinity];
        var bits = new ushort[values.Length];
        BFloat16.FromSingle(values, bits);
        var back = new float[40];
        BFloat16.ToSingle(Enumerable.Repeat(bits, 7).SelectMany(b => b).Take(40).ToArray(), back);

        Assert.Equal(0x3F80, bits[0]);
        Assert.Equal(3.140625f, back[2]);
        Assert.Equal(float.PositiveInfinity, back[5]);
        Assert.Equal(back[2], back[8]); // vector path and scalar tail agree
        Assert.Equal((ushort)0x3F80, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0x3F808000))); // tie → even
        Assert.Equal((ushort)0x3F82, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0x3F818000))); // tie → even (up)
    }

    [Fact]
    public void The_pool_runs_every_index_once_across_its_threads()
    {
        using var pool = new KernelPool(3);
        var work = new CountingWork(1000);

        for (int run = 0; run < 20; run++)
        {
            pool.Run(work, 1000, 7);
        }

        Assert.All(work.Hits, h => Assert.Equal(20, h));
    }

    [Fact]
    public void A_fault_in_a_worker_reaches_the_caller_and_the_pool_keeps_working()
    {
        using var pool = new KernelPool(2);

        Assert.Throws<InvalidOperationException>(() => pool.Run(new FailingWork(), 100, 1));
        var work = new CountingWork(10);
        pool.Run(work, 10, 1);
        Assert.All(work.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Llama31_rope_frequencies_keep_high_divide_low_and_blend_the_middle()
    {
        // Llama 3.1 8B: head_dim 128, θ 500000, factor 8, low 1, high 4, original context 8192.
        double[] plain = RopeFrequencies.Compute(128, 500000, null);
        double[] scaled = RopeFrequencies.Compute(128, 500000, new RopeScaling("llama3", 8, 1, 4, 8192));

        Assert.Equal(plain[0], scaled[0]); // wavelength 6.3 < 2048
        Assert.Equal(plain[63] / 8, scaled[63], 15); // wavelength > 8192
        int middle = Enumerable.Range(0, 64).First(i => 2 * Math.PI / plain[i] is >= 2048 and <= 8192);
        double smooth = ((8192 / (2 * Math.PI / plain[middle])) - 1) / 3;
        Assert.Equal(((1 - smooth) * plain[middle] / 8) + (smooth * plain[middle]), scaled[middle], 15);
    }

    private sealed class CountingWork(int count) : IParallelWork
    {
        public int[] Hits { get; } = new int[count];

        public void Execute(int start, int end, int participant)
        {
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref Hits[i]);
            }
        }
    }

    private sealed class FailingWork : IParallelWork
    {
        public void Execute(int start, int end, int participant)
        {
            if (participant == 1 || start == 50)
            {
                throw new InvalidOperationException("kernel fault");
            }
        }
    }
}
