using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Security.ApiKeys;
using Nlps.Api.Serialization;
using Nlps.Plugins.Management;

namespace Nlps.Api.Agents;

/// <summary>
/// The agent API: <c>GET /v1/agents</c>, <c>GET /v1/agents/{agent}/operations</c> (each operation with the JSON Schema
/// of its request) and <c>POST /v1/agents/{agent}/{operation}</c>.
/// </summary>
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
                ApiJsonContext.Readable.ListAgentSummary);
        });
        agents.MapGet("/{agent}/operations", (ClaimsPrincipal user, string agent, PluginManager plugins) =>
        {
            if (!plugins.TryGetRunning(agent, out var running, out var status))
            {
                return status is null
                    ? ApiProblems.Create(404, "agent_not_found", "No such agent", $"No agent with id '{agent}' is installed.")
                    : ApiProblems.Create(503, "agent_not_running", "Agent not running", $"Agent '{agent}' is {status.State}: {status.Reason}");
            }

            // An API key sees the operations its scopes reach; the administrator sees all.
            var keyId = ApiKeyClaims.GetKeyId(user);
            var scopes = ApiKeyClaims.GetScopes(user).ToList();
            var operations = running.Manifest.Operations
                .Where(d => keyId is null || ApiKeyScopes.Allows(scopes, agent, d.Name))
                .Select(d => new OperationSchema(
                    d.Name,
                    d.Description,
                    d.Streaming,
                    JsonElement.Parse(running.Operations.TryGetValue(d.Name, out var operation) ? operation.RequestSchema : "{}")))
                .ToList();
            return TypedResults.Json(operations, ApiJsonContext.Readable.ListOperationSchema);
        });
        agents.MapPost("/{agent}/{operation}", (HttpContext context, string agent, string operation, OperationDispatcher dispatcher) =>
            dispatcher.DispatchAsync(context, agent, operation));
        return endpoints;
    }
}
