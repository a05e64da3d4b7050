using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Bench;

/// <summary>
/// Memory-read bandwidth of this machine right now: threads sum disjoint parts of a buffer far larger than L3 with
/// 512-bit loads (256-bit without AVX-512); best of several passes. The engine's decode rate is compared to this.
/// </summary>
internal static unsafe class BandwidthProbe
{
    public static double GigabytesPerSecond(long bytes, int threads, int passes)
    {
        byte* buffer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        try
        {
            new Span<byte>(buffer, int.MaxValue).Fill(1);
            for (long done = int.MaxValue; done < bytes; done += int.MaxValue)
            {
                new Span<byte>(buffer + done, (int)Math.Min(int.MaxValue, bytes - done)).Fill(1);
            }

            double best = 0;
            long part = bytes / threads / 64 * 64;
            for (int pass = 0; pass < passes; pass++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                var workers = Enumerable.Range(0, threads).Select(t => new Thread(() => Sum((float*)(buffer + (t * part)), part / 4))).ToArray();
                foreach (Thread w in workers)
                {
                    w.Start();
                }

                foreach (Thread w in workers)
                {
                    w.Join();
                }

                double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
                best = Math.Max(best, part * threads / seconds / 1e9);
            }

            return best;
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    private static float Sum(float* p, long count)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (long i = 0; i + 64 <= count; i += 64)
        {
            a0 += Vector512.LoadAligned(p + i);
            a1 += Vector512.LoadAligned(p + i + 16);
            a2 += Vector512.LoadAligned(p + i + 32);
            a3 += Vector512.LoadAligned(p + i + 48);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3);
    }
}
