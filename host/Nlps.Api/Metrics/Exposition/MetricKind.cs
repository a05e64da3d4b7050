namespace Nlps.Api.Metrics.Exposition;

/// <summary>The Prometheus type of a family.</summary>
public enum MetricKind
{
    /// <summary>Only goes up; the name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted into buckets, with a sum and a count.</summary>
    Histogram,
}
