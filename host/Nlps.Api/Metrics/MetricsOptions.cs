namespace Nlps.Api.Metrics;

/// <summary>The <c>/metrics</c> endpoint, bound from the <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Metrics";

    /// <summary>Whether callers on loopback may scrape without a credential. Default true: a Prometheus on the box
    /// needs no secret, and remote scrapers still need an API key with the <c>metrics</c> scope.</summary>
    public bool AllowAnonymousLoopback { get; set; } = true;
}
