using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Models.Deployments;

namespace Nlps.Api.Models;

/// <summary>
/// <c>GET /v1/admin/deployments</c>: the scheduler's live state: the RAM budget and what holds it, each deployment's
/// residency (unloaded, loading, resident, unloading, faulted), requests active and waiting, loads and evictions, and
/// the recent events (loaded, evicted, unloaded_idle, refused, load_failed).
/// </summary>
public static class AdminDeploymentEndpoints
{
    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminDeploymentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/admin/deployments", (ModelDeployments deployments) =>
            TypedResults.Json(deployments.Status(), ApiJsonContext.Default.SchedulerStatus)).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }
}
