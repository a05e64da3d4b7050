namespace Nlps.Api.Metrics.Exposition;

/// <summary>One family at one scrape: a name, its type and help, and its series.</summary>
/// <param name="Name">The exposed name (already in Prometheus form).</param>
/// <param name="Kind">Its type.</param>
/// <param name="Help">One line of help text.</param>
/// <param name="Series">Its series, each with a distinct label set.</param>
public sealed record MetricFamily(string Name, MetricKind Kind, string Help, IReadOnlyList<MetricSeries> Series);

/// <summary>One series: labels (sorted by name) and a value, or histogram data for histograms.</summary>
/// <param name="Labels">Label names and values, sorted by name.</param>
/// <param name="Value">The counter or gauge value.</param>
/// <param name="Histogram">The observations, for histograms.</param>
public sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramData? Histogram);

/// <summary>A histogram's state: per-bucket (not cumulative) counts for each upper bound and one more for +Inf.</summary>
/// <param name="UpperBounds">Finite upper bounds, ascending.</param>
/// <param name="BucketCounts">Observations per bucket; one longer than <paramref name="UpperBounds"/> (the last is above every bound).</param>
/// <param name="Sum">The sum of all observations.</param>
public sealed record HistogramData(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> BucketCounts, double Sum)
{
    /// <summary>All observations.</summary>
    public long Count => BucketCounts.Sum();
}
