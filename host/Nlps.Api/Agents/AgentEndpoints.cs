using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Security;
using Nlps.Api.Security.ApiKeys;
using Nlps.Api.Serialization;
using Nlps.Plugins.Management;

namespace Nlps.Api.Agents;

/// <summary>The agent API: <c>GET /v1/agents</c> and <c>POST /v1/agents/{agent}/{operation}</c>.</summary>
public static class AgentEndpoints
{
    /// <summary>Maps the agent routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var agents = endpoints.MapGroup("/v1/agents").RequireAuthorization(ApiPolicies.Agents);
        agents.MapGet("/", (ClaimsPrincipal user, PluginManager plugins) =>
        {
            // An API key sees the agents its scopes reach; the administrator sees all.
            var keyId = ApiKeyClaims.GetKeyId(user);
            var scopes = ApiKeyClaims.GetScopes(user).ToList();
            return TypedResults.Json(
                plugins.List().Where(p => keyId is null || ApiKeyScopes.AllowsAny(scopes, p.Id)).Select(AgentSummary.From).ToList(),
                ApiJsonContext.Default.ListAgentSummary);
        });
        agents.MapPost("/{agent}/{operation}", (HttpContext context, string agent, string operation, OperationDispatcher dispatcher) =>
            dispatcher.DispatchAsync(context, agent, operation));
        return endpoints;
    }
}
