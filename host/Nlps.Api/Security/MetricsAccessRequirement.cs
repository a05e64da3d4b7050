using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nlps.Api.Metrics;
using Nlps.Api.Security.ApiKeys;

namespace Nlps.Api.Security;

/// <summary>
/// Who may scrape <c>/metrics</c>: the administrator, an API key with the <c>metrics</c> scope, and, when
/// <c>Metrics:AllowAnonymousLoopback</c> is on (the default), anyone connecting from the machine itself (a local
/// Prometheus or node agent). A remote Prometheus uses a key: <c>authorization: { credentials_file: … }</c>.
/// </summary>
public sealed class MetricsAccessRequirement : AuthorizationHandler<MetricsAccessRequirement>, IAuthorizationRequirement
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.IsInRole(ApiPolicies.AdminRole)
            || ApiKeyClaims.GetScopes(context.User).Contains(ApiKeyScopes.Metrics, StringComparer.Ordinal)
            || (context.Resource is HttpContext http
                && http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowAnonymousLoopback
                && IsLoopback(http)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // A reverse proxy on the same machine would make every caller look local: put none in front of /metrics.
    private static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
