using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Metrics.Exposition;
using Nlps.Api.Metrics.Traffic;
using Nlps.Api.Security;
using Nlps.Models.Engines;

namespace Nlps.Api.Metrics;

/// <summary><c>GET|HEAD /metrics</c> (Prometheus text 0.0.4) and the middleware that times every other request.</summary>
public static class MetricsEndpoints
{
    /// <summary>The scrape path; excluded from its own request counters.</summary>
    public const string Path = "/metrics";

    /// <summary>Maps <c>/metrics</c> under <see cref="ApiPolicies.Metrics"/>: nlpsd's own series, then each engine process's with a <c>deployment</c> label.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, MetricsExporter exporter) =>
        {
            var own = exporter.Scrape();
            var engines = context.RequestServices.GetService<IEngineMetricsSource>() is { } source
                ? await source.ScrapeEnginesAsync(context.RequestAborted)
                : [];
            var body = Encoding.UTF8.GetBytes(engines.Count == 0 ? own : ExpositionMerger.Merge(own, engines));
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Bytes(body, PrometheusTextFormat.ContentType);
        }).RequireAuthorization(ApiPolicies.Metrics);
        return endpoints;
    }

    /// <summary>
    /// Counts and times each request by route template, method and status, and feeds serving requests to
    /// <see cref="RecentTraffic"/>. Put it after routing (so the endpoint is known) and before authentication (so
    /// refusals are counted too).
    /// </summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ApplicationServices.GetRequiredService<ApplianceMetrics>();
        var recent = app.ApplicationServices.GetRequiredService<RecentTraffic>();

        // The exporter's listener must exist before the first measurement: instruments report to current listeners only.
        _ = app.ApplicationServices.GetRequiredService<MetricsExporter>();
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(Path, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            var started = time.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                var status = failed ? 500 : context.Response.StatusCode;
                var elapsed = time.GetElapsedTime(started);
                metrics.RecordHttp(route, context.Request.Method, status, elapsed);
                if (RecentTraffic.Counts(context.Request.Path))
                {
                    recent.Record(status, elapsed);
                }
            }
        });
    }

}
