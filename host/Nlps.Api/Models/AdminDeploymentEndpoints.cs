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
            ActAsync(context, audit, deployments, "deployment.load", name, async () =>
            {
                await deployments.LoadAsync(name, context.RequestAborted);
                return null;
            }));
        group.MapPost("/{name}/pin", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.pin", name, async () =>
            {
                await deployments.PinAsync(name, context.RequestAborted);
                return null;
            }));
        group.MapPost("/{name}/unpin", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.unpin", name, () =>
            {
                deployments.Unpin(name);
                return Task.FromResult<Refusal?>(null);
            }));
        group.MapPost("/{name}/unload", (string name, ModelDeployments deployments, AdminAudit audit, HttpContext context) =>
            ActAsync(context, audit, deployments, "deployment.unload", name, async () => await deployments.UnloadAsync(name) switch
            {
                UnloadOutcome.Pinned => new Refusal(409, "deployment_pinned", $"{name} is pinned; unpin it first"),
                UnloadOutcome.Busy => new Refusal(409, "deployment_busy", $"{name} has requests running or waiting; try again when it is idle"),
                UnloadOutcome.Failed => new Refusal(503, "unload_failed", $"{name} failed to unload and is out of service (see the events)"),
                _ => null,
            }));
        return endpoints;
    }

    // Runs an operator's action; a refusal (from the action, or the scheduler's ModelUnavailableException) is audited
    // and answered as a problem, success as the deployment's new status.
    private static async Task<IResult> ActAsync(
        HttpContext context, AdminAudit audit, ModelDeployments deployments, string action, string name, Func<Task<Refusal?>> act)
    {
        Refusal? refusal;
        try
        {
            refusal = await act();
        }
        catch (ModelUnavailableException ex)
        {
            if (ex.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            refusal = new Refusal(ex.StatusCode, ex.Code, ex.Message);
        }

        if (refusal is not null)
        {
            await audit.RecordAsync(context, action, name, AuditResult.Refused, $"{refusal.Code}: {refusal.Message}");
            return ApiProblems.Create(refusal.Status, refusal.Code, "Deployment refused the change", refusal.Message);
        }

        await audit.RecordAsync(context, action, name, AuditResult.Ok, null);
        DeploymentStatus status = deployments.Status().Deployments.First(d => d.Id == name);
        return TypedResults.Json(status, ApiJsonContext.Readable.DeploymentStatus);
    }

    private sealed record Refusal(int Status, string Code, string Message);
}
