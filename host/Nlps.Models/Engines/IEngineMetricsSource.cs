namespace Nlps.Models.Engines;

/// <summary>Engines that publish their own Prometheus metrics (vLLM's <c>/metrics</c>), scraped when nlpsd is scraped.</summary>
public interface IEngineMetricsSource
{
    /// <summary>Each ready engine process's exposition by deployment; an engine that does not answer in time is left out.</summary>
    Task<IReadOnlyList<(string Deployment, string Exposition)>> ScrapeEnginesAsync(CancellationToken cancellationToken);
}
