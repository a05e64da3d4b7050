using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Admin;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Models.Store;
using Nlps.Storage.Audit;

namespace Nlps.Api.Models;

/// <summary>
/// The model store under <c>/v1/admin/models</c>: list (each model with its LoRA adapters), show a manifest, import a
/// folder on the box (a model, or a PEFT adapter onto a stored model) and verify as background jobs (poll
/// <c>GET /v1/admin/models/jobs/{job}?waitSeconds=N</c>, cancel with DELETE), remove a model (<c>?force=true</c> also
/// when it has adapters, which go with it) or one adapter (<c>DELETE /v1/admin/models/{id}/adapters/{name}</c>).
/// </summary>
public static class AdminModelEndpoints
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminModelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/admin/models").RequireAuthorization(ApiPolicies.Admin);
        group.MapGet("/", async (ModelStore store, HttpContext context) =>
            TypedResults.Json(await StoredModelListing.ListAsync(store, context.RequestAborted), ApiJsonContext.Readable.IReadOnlyListStoredModelListing));
        group.MapGet("/jobs", (ModelJobs jobs) => TypedResults.Json(jobs.List(), ApiJsonContext.Readable.IReadOnlyListModelJobStatus));
        group.MapGet("/jobs/{jobId}", async (string jobId, double? waitSeconds, ModelJobs jobs, HttpContext context) =>
        {
            TimeSpan wait = TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, MaxWait.TotalSeconds));
            return await jobs.WaitAsync(jobId, wait, context.RequestAborted) is { } status ? Job(status) : JobNotFound(jobId);
        });
        group.MapDelete("/jobs/{jobId}", (string jobId, ModelJobs jobs) => jobs.Cancel(jobId) is { } status ? Job(status, 202) : JobNotFound(jobId));
        group.MapGet("/{id}", (string id, ModelStore store, HttpContext context) =>
            Run(async () => TypedResults.Json(await store.GetManifestAsync(id, context.RequestAborted), ApiJsonContext.Readable.ModelManifest)));
        group.MapPost("/import", ImportAsync);
        group.MapPost("/{id}/verify", (string id, ModelJobs jobs, AdminAudit audit, HttpContext context) =>
            Audited(context, audit, "model.verify", id, () => Task.FromResult(Job(jobs.StartVerify(id), 202))));
        group.MapDelete("/{id}", (string id, bool? force, ModelStore store, AdminAudit audit, HttpContext context) =>
            Audited(context, audit, "model.remove", force == true ? $"{id} (forced, with its adapters)" : id, async () =>
            {
                await store.RemoveAsync(id, force == true, context.RequestAborted);
                return TypedResults.NoContent();
            }));
        group.MapDelete("/{id}/adapters/{adapter}", (string id, string adapter, ModelStore store, AdminAudit audit, HttpContext context) =>
            Audited(context, audit, "model.adapter.remove", $"{id}:{adapter}", async () =>
            {
                await store.RemoveAdapterAsync(id, adapter, context.RequestAborted);
                return TypedResults.NoContent();
            }));
        return endpoints;
    }

    private static async Task<IResult> ImportAsync(HttpContext context, ModelJobs jobs, AdminAudit audit)
    {
        byte[]? body = await RequestBody.ReadAsync(context.Request, 64 * 1024, context.RequestAborted);
        ModelImportRequest? request = null;
        try
        {
            request = body is null ? null : JsonSerializer.Deserialize(body, ApiJsonContext.Readable.ModelImportRequest);
        }
        catch (JsonException)
        {
            // Answered below as a bad request.
        }

        if (request?.Path is not { Length: > 0 } path || !Path.IsPathFullyQualified(path))
        {
            return ApiProblems.Create(400, "invalid_import_request", "Invalid import request", "send {\"path\": \"/absolute/folder/on/the/appliance\", \"id\": \"optional-model-id\"}");
        }

        if (request.Base is not null || (File.Exists(Path.Combine(path, "adapter_config.json")) && !File.Exists(Path.Combine(path, "config.json"))))
        {
            return await Audited(context, audit, "model.adapter.import", $"{request.Base ?? "(base from adapter_config.json)"}:{request.Id ?? Path.GetFileName(path)} from {path}", async () =>
            {
                ModelJobStatus status = await jobs.StartAdapterImportAsync(path, request.Base, request.Id, context.RequestAborted);
                return TypedResults.Json(status, ApiJsonContext.Readable.ModelJobStatus, statusCode: 202);
            });
        }

        return await Audited(context, audit, "model.import", $"{request.Id ?? Path.GetFileName(path)} from {path}", () =>
        {
            ModelJobStatus status = jobs.StartImport(path, request.Id);
            return Task.FromResult<IResult>(TypedResults.Json(status, ApiJsonContext.Readable.ModelJobStatus, statusCode: 202));
        });
    }

    private static IResult Job(ModelJobStatus status, int statusCode = 200) =>
        TypedResults.Json(status, ApiJsonContext.Readable.ModelJobStatus, statusCode: statusCode);

    private static IResult JobNotFound(string jobId) => ApiProblems.Create(404, "job_not_found", "No such job", $"no model job '{jobId}' (jobs are kept in memory until nlpsd restarts)");

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ModelStoreException ex)
        {
            return ApiProblems.Create(ex.StatusCode, ex.Code, "Model store refused", ex.Message);
        }
    }

    private static async Task<IResult> Audited(HttpContext context, AdminAudit audit, string action, string target, Func<Task<IResult>> run)
    {
        try
        {
            IResult result = await run();
            await audit.RecordAsync(context, action, target, AuditResult.Ok, null);
            return result;
        }
        catch (ModelStoreException ex)
        {
            await audit.RecordAsync(context, action, target, AuditResult.Refused, $"{ex.Code}: {ex.Message}");
            return ApiProblems.Create(ex.StatusCode, ex.Code, "Model store refused", ex.Message);
        }
    }
}
