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
/// The model store under <c>/v1/admin/models</c>: list, show a manifest, import a folder on the box and verify as
/// background jobs (poll <c>GET /v1/admin/models/jobs/{job}?waitSeconds=N</c>, cancel with DELETE), remove.
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
            TypedResults.Json(await store.ListAsync(context.RequestAborted), ApiJsonContext.Readable.IReadOnlyListModelRecord));
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
        group.MapDelete("/{id}", (string id, ModelStore store, AdminAudit audit, HttpContext context) =>
            Audited(context, audit, "model.remove", id, async () =>
            {
                await store.RemoveAsync(id, context.RequestAborted);
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
