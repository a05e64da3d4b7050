using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Hardware.Snapshot;
using Nlps.Models;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Models.Store;

namespace Nlps.Api.Models;

/// <summary><c>POST /v1/admin/plan</c>: place deployments on the current hardware snapshot without changing anything.</summary>
public static class AdminPlanEndpoints
{
    private const long MaxBodyBytes = 4 << 20;

    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminPlanEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/admin/plan", PlanAsync).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }

    private static async Task<IResult> PlanAsync(HttpContext context, IHardwareSnapshotSource hardware, ModelStore store, PlacementPlanner planner, PlannerOptions plannerOptions)
    {
        byte[]? body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return ApiProblems.Create(413, "request_too_large", "Plan request too large", $"A plan request may be at most {MaxBodyBytes} bytes.");
        }

        PlanRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ApiJsonContext.Readable.PlanRequest);
        }
        catch (JsonException ex)
        {
            return Invalid($"the body is not a plan request: {ex.Message}");
        }

        if (request?.Deployments is not { Count: > 0 } wanted)
        {
            return Invalid("'deployments' must list at least one deployment");
        }

        var requests = new List<DeploymentRequest>();
        foreach (PlanDeploymentRequest item in wanted)
        {
            if (string.IsNullOrWhiteSpace(item.Id) || item.MaxContext < 1 || item.MaxSequences < 1 || (item.Model is null) == (item.Config is null))
            {
                return Invalid($"deployment '{item.Id}': needs an id, exactly one of 'model' or 'config', and positive 'maxContext' and 'maxSequences'");
            }

            if (requests.Any(r => r.Id == item.Id))
            {
                return Invalid($"deployment id '{item.Id}' appears twice");
            }

            ModelProfile profile;
            try
            {
                profile = item.Model is { } modelId
                    ? await store.LoadProfileAsync(modelId, context.RequestAborted)
                    : ModelProfile.FromConfig(item.Id, item.Config!.Value.GetRawText());
            }
            catch (ModelStoreException ex)
            {
                return ApiProblems.Create(ex.StatusCode, ex.Code, "Model not usable for planning", ex.Message);
            }
            catch (ModelFormatException ex)
            {
                return ApiProblems.Create(422, "invalid_model", "Model not usable for planning", ex.Message);
            }

            LoraBudget? lora = item.LoraAdapters > 0 && item.LoraRank > 0 ? new LoraBudget(item.LoraAdapters, item.LoraRank) : null;
            requests.Add(new DeploymentRequest(
                item.Id,
                profile,
                new WorkloadShape(item.Quantization, item.MaxContext, item.MaxSequences, item.KvCache, lora),
                item.Pinned,
                item.AllowTensorParallel,
                item.AllowedDevices,
                item.AllowCpu));
        }

        HardwareSnapshot snapshot = hardware.Current ?? await hardware.RefreshAsync(context.RequestAborted);
        IReadOnlyList<PlanDevice> devices = PlanDevices.FromSnapshot(snapshot, request.IncludeCpu);
        Plan plan = planner.Plan(devices, requests);
        return TypedResults.Json(
            new PlanResponse(snapshot.Simulated, snapshot.SimulatedFrom, snapshot.TakenAt, plannerOptions.GpuReserveBytes, devices, plan.Outcomes, plan.Devices),
            ApiJsonContext.Readable.PlanResponse);
    }

    private static IResult Invalid(string detail) => ApiProblems.Create(400, "invalid_plan_request", "Invalid plan request", detail);
}
