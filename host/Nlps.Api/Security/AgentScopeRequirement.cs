using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Security.ApiKeys;
using Nlps.Storage.Audit;

namespace Nlps.Api.Security;

/// <summary>
/// The agent policy: the administrator may call anything; an API key only the operations its scopes name. Routes
/// without an agent (the agent list) are open to every key and filtered by scope where they answer.
/// </summary>
public sealed class AgentScopeRequirement : AuthorizationHandler<AgentScopeRequirement>, IAuthorizationRequirement
{
    /// <inheritdoc />
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AgentScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.IsInRole(ApiPolicies.AdminRole))
        {
            context.Succeed(requirement);
            return;
        }

        var keyId = ApiKeyClaims.GetKeyId(context.User);
        if (keyId is null || context.Resource is not HttpContext http)
        {
            return;
        }

        if (http.GetRouteValue("agent") is not string agent)
        {
            // The agent list: any key with at least one agent scope (a metrics-only or models-only key is not an agent client).
            if (ApiKeyClaims.GetScopes(context.User).Any(scope => scope != ApiKeyScopes.Metrics && !ApiKeyScopes.IsModelScope(scope)))
            {
                context.Succeed(requirement);
            }

            return;
        }

        // Without an operation (the agent's operation list) any scope on the agent will do; the list is filtered.
        var operation = http.GetRouteValue("operation") as string;
        var scopes = ApiKeyClaims.GetScopes(context.User);
        if (operation is null ? ApiKeyScopes.AllowsAny(scopes, agent) : ApiKeyScopes.Allows(scopes, agent, operation))
        {
            context.Succeed(requirement);
            return;
        }

        operation ??= "*";
        var detail = $"API key {keyId} has no scope for {agent}/{operation}.";
        http.Items[AuthFailure.ItemKey] = new AuthFailure("missing_scope", detail);
        var audit = http.RequestServices.GetService(typeof(AuditLog)) as AuditLog;
        if (audit is not null)
        {
            await audit.AppendAsync(new AuditEntry($"apikey:{keyId}", "auth.scope", $"{agent}/{operation}", AuditResult.Refused, detail), CancellationToken.None).ConfigureAwait(false);
        }
    }
}
