using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Security;
using Nlps.Api.Serialization;

namespace Nlps.Api.Metrics.Traffic;

/// <summary><c>GET /v1/admin/traffic</c>: requests/s and p50/p95 latency of the last minute's serving requests.</summary>
public static class AdminTrafficEndpoints
{
    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminTrafficEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/admin/traffic", (RecentTraffic traffic) => TypedResults.Json(traffic.Summarize(), ApiJsonContext.Readable.TrafficSummary))
            .RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }
}
