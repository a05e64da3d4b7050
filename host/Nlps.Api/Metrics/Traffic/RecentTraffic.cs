using Microsoft.AspNetCore.Http;

namespace Nlps.Api.Metrics.Traffic;

/// <summary>
/// The last minute of serving requests (agent and OpenAI-compatible calls, not the console's own admin calls) in one
/// slot per second: their count, server errors, and up to <see cref="SamplesPerSecond"/> durations each, for the
/// dashboard's requests/s and p50/p95 latency. Fed by the same middleware as the request metrics.
/// </summary>
public sealed class RecentTraffic
{
    /// <summary>How many seconds the summary covers.</summary>
    public const int WindowSeconds = 60;

    /// <summary>Durations kept per second; beyond it requests are still counted, and the percentiles come from the first ones.</summary>
    public const int SamplesPerSecond = 512;

    private readonly Lock gate = new();
    private readonly Slot[] slots;
    private readonly TimeProvider time;

    /// <summary>Creates the window.</summary>
    /// <param name="time">Places each request in its second.</param>
    public RecentTraffic(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
        slots = [.. Enumerable.Range(0, WindowSeconds).Select(_ => new Slot())];
    }

    /// <summary>True for the requests the window counts: <c>/v1/…</c> outside <c>/v1/admin</c>.</summary>
    /// <param name="path">The request path.</param>
    public static bool Counts(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.Ordinal) && !path.StartsWithSegments("/v1/admin", StringComparison.Ordinal);

    /// <summary>Adds one finished request.</summary>
    /// <param name="statusCode">Its status (5xx counts as a server error).</param>
    /// <param name="elapsed">How long it took.</param>
    public void Record(int statusCode, TimeSpan elapsed)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (gate)
        {
            var slot = slots[second % WindowSeconds];
            if (slot.Second != second)
            {
                slot.Second = second;
                slot.Count = 0;
                slot.Errors = 0;
            }

            if (slot.Count < SamplesPerSecond)
            {
                slot.Durations[slot.Count] = elapsed.TotalSeconds;
            }

            slot.Count++;
            slot.Errors += statusCode >= 500 ? 1 : 0;
        }
    }

    /// <summary>The requests of the last <see cref="WindowSeconds"/> seconds (this one included).</summary>
    public TrafficSummary Summarize()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var durations = new List<double>();
        long count = 0;
        long errors = 0;
        lock (gate)
        {
            foreach (var slot in slots.Where(s => s.Second <= now && now - s.Second < WindowSeconds))
            {
                count += slot.Count;
                errors += slot.Errors;
                durations.AddRange(slot.Durations.AsSpan(0, Math.Min(slot.Count, SamplesPerSecond)));
            }
        }

        durations.Sort();
        return new TrafficSummary(WindowSeconds, count, errors, (double)count / WindowSeconds, Percentile(durations, 0.50), Percentile(durations, 0.95));
    }

    // Nearest rank: the smallest sample with at least the fraction of samples at or below it.
    private static double? Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    private sealed class Slot
    {
        public long Second { get; set; } = long.MinValue;

        public int Count { get; set; }

        public int Errors { get; set; }

        public double[] Durations { get; } = new double[SamplesPerSecond];
    }
}
