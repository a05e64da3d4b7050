namespace Nlps.Api.Metrics.Traffic;

/// <summary>Serving traffic over the recent window, as the dashboard shows it.</summary>
/// <param name="WindowSeconds">The window's length.</param>
/// <param name="Requests">Requests finished in it.</param>
/// <param name="ServerErrors">Those answered with a 5xx status.</param>
/// <param name="RequestsPerSecond">Requests divided by the window's length.</param>
/// <param name="P50Seconds">Median duration, or null without requests.</param>
/// <param name="P95Seconds">95th percentile duration, or null without requests.</param>
public sealed record TrafficSummary(int WindowSeconds, long Requests, long ServerErrors, double RequestsPerSecond, double? P50Seconds, double? P95Seconds);
