using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Bench;

/// <summary>
/// The machine's fp32 FMA peak as C's probe measures it (engine.md §1): twelve independent 512-bit FMA chains per
/// thread, all threads at once, best of several passes. GFLOP/s counts 2 per lane per FMA. Also per second of this
/// process's CPU time, which is what a benchmark on a shared machine can compare against: other tenants' threads take
/// wall time from both the probe and the measured code, but not CPU time.
/// </summary>
internal static class FmaPeakProbe
{
    private const long Iterations = 100_000_000;

    /// <summary>Best GFLOP/s per wall second and per CPU second (summed over threads) over <paramref name="passes"/>.</summary>
    public static (double Wall, double PerCpuSecond) GigaflopsPerSecond(int threads, int passes)
    {
        double bestWall = 0, bestCpu = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => Chains(Iterations))).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            double flops = threads * Iterations * 12.0 * 16 * 2;
            bestWall = Math.Max(bestWall, flops / seconds / 1e9);
            bestCpu = Math.Max(bestCpu, flops / cpuSeconds / 1e9);
        }

        return (bestWall, bestCpu);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.999999f), b = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector512<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b);
            c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b);
            c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b);
            c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b);
            c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
