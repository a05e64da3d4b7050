using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Serialization;

namespace Nlps.Api.Security;

/// <summary><c>GET /v1/whoami</c>: who the presented credential is, so a client can check its token before real calls.</summary>
public static class WhoAmIEndpoints
{
    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapWhoAmIEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/whoami", (ClaimsPrincipal user) => TypedResults.Json(
            new CallerIdentity(user.Identity?.Name ?? "anonymous", [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]),
            ApiJsonContext.Default.CallerIdentity)).RequireAuthorization(ApiPolicies.Agents);
        return endpoints;
    }
}

/// <summary>The caller as the appliance sees it.</summary>
/// <param name="Name">The credential's name.</param>
/// <param name="Roles">Its roles.</param>
public sealed record CallerIdentity(string Name, IReadOnlyList<string> Roles);
