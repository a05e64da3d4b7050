using System.Diagnostics.Metrics;
using Nlps.Api.Metrics.Exposition;

namespace Nlps.Api.Metrics;

/// <summary>The host's <c>Nlps</c> meters as Prometheus text: one collector for the life of the host.</summary>
public sealed class MetricsExporter(IMeterFactory meterFactory) : IDisposable
{
    private readonly MeterCollector collector = new(meterFactory, name => name == ApplianceMetrics.MeterName || name.StartsWith(ApplianceMetrics.MeterName + ".", StringComparison.Ordinal));

    /// <summary>The exposition now.</summary>
    public string Scrape() => PrometheusTextFormat.Write(collector.Collect());

    /// <inheritdoc />
    public void Dispose() => collector.Dispose();
}
