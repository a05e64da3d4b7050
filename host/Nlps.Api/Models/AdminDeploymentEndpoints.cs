using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Admin;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Models.Deployments;
using Nlps.Models.Scheduling;
using Nlps.Storage.Audit;

namespace Nlps.Api.Models;

/// <summary>
/// <c>GET /v1/admin/deployments</c>: the scheduler's live state: the RAM budget and what holds it, each deployment's
/// residency (unloaded, loading, resident, unloading, faulted), requests active and waiting, loads and evictions, and
/// the recent events (loaded, evicted, unloaded_idle, unloaded_by_operator, refused, load_failed).
/// <c>POST /v1/admin/deployments/{name}/load|unload|pin|unpin</c>: an operator's hand on residency; each answers the
/// deployment's status and is audited. Unload refuses (409) a pinned or busy deployment.
/// </summary>
public static class AdminDeploymentEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminDeploymentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/admin/deployments").RequireAuthorization(ApiPolicies.Admin);
        group.MapGet("/", (ModelDeployments deployments) =>
            TypedResults.Json(deployments.Status(), ApiJsonContext.Readable.SchedulerStatus));
        group.MapPost("/{name}/load", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.load", name, () => deployments.LoadAsync(name, context.RequestAborted)));
        group.MapPost("/{name}/pin", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.pin", name, () => deployments.PinAsync(name, context.RequestAborted)));
        group.MapPost("/{name}/unpin", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.unpin", name, () =>
            {
                deployments.Unpin(name);
                return Task.CompletedTask;
            }));
        group.MapPost("/{name}/unload", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.unload", name, async () =>
            {
                UnloadOutcome outcome = await deployments.UnloadAsync(name);
                switch (outcome)
                {
                    case UnloadOutcome.Pinned:
                        throw new OperatorRefusal("deployment_pinned", $"{name} is pinned; unpin it first");
                    case UnloadOutcome.Busy:
                        throw new OperatorRefusal("deployment_busy", $"{name} has requests running or waiting; try again when it is idle");
                    case UnloadOutcome.Failed:
                        throw new ModelUnavailableException("unload_failed", $"{name} failed to unload and is out of service (see the events)", retryAfter: null);
                    default:
                        break;
                }
            }));
        return endpoints;
    }

    private static async Task<IResult> ActAsync(
        HttpContext context, AdminAudit audit, ModelDeployments deployments, string action, string name, Func<Task> act)
    {
        try
        {
            await act();
        }
        catch (ModelUnavailableException ex)
        {
            await audit.RecordAsync(context, action, name, AuditResult.Refused, $"{ex.Code}: {ex.Message}");
            if (ex.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return ApiProblems.Create(ex.StatusCode, ex.Code, "Deployment unavailable", ex.Message);
        }
        catch (OperatorRefusal ex)
        {
            await audit.RecordAsync(context, action, name, AuditResult.Refused, $"{ex.Code}: {ex.Message}");
            return ApiProblems.Create(409, ex.Code, "Deployment refused the change", ex.Message);
        }

        await audit.RecordAsync(context, action, name, AuditResult.Ok, null);
        DeploymentStatus status = deployments.Status().Deployments.First(d => d.Id == name);
        return TypedResults.Json(status, ApiJsonContext.Readable.DeploymentStatus);
    }

    private sealed class OperatorRefusal(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
