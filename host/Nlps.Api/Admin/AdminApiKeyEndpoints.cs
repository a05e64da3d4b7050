using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Security.ApiKeys;
using Nlps.Api.Serialization;
using Nlps.Storage.Audit;

namespace Nlps.Api.Admin;

/// <summary><c>/v1/admin/api-keys</c>: create (the key text is in this answer only), list, revoke. Every change is audited.</summary>
public static class AdminApiKeyEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminApiKeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/admin/api-keys").RequireAuthorization(ApiPolicies.Admin);
        group.MapGet("/", async (ApiKeyRegistry keys, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var now = time.GetUtcNow();
            var list = (await keys.ListAsync(cancellationToken)).Select(k => ApiKeyInfo.From(k, keys.DefaultRequestsPerMinute, now)).ToList();
            return TypedResults.Json<IReadOnlyList<ApiKeyInfo>>(list, ApiJsonContext.Default.IReadOnlyListApiKeyInfo);
        });
        group.MapPost("/", CreateAsync);
        group.MapDelete("/{id}", async (HttpContext context, string id, ApiKeyRegistry keys, AdminAudit audit, TimeProvider time) =>
        {
            var key = await keys.RevokeAsync(id, context.RequestAborted);
            if (key is null)
            {
                await audit.RecordAsync(context, "apikey.revoke", id, AuditResult.Refused, "no such key");
                return ApiProblems.Create(404, "api_key_not_found", "No such API key", $"No API key has id '{id}'.");
            }

            await audit.RecordAsync(context, "apikey.revoke", id, AuditResult.Ok, null);
            return TypedResults.Json(ApiKeyInfo.From(key, keys.DefaultRequestsPerMinute, time.GetUtcNow()), ApiJsonContext.Default.ApiKeyInfo);
        });
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeyRegistry keys, AdminAudit audit, TimeProvider time)
    {
        var body = await RequestBody.ReadAsync(context.Request, 64 * 1024, context.RequestAborted);
        ApiKeyCreateRequest? request = null;
        string? problem = body is null ? "the body is larger than 64 KiB" : null;
        if (problem is null)
        {
            try
            {
                request = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiKeyCreateRequest);
            }
            catch (JsonException ex)
            {
                problem = $"the body is not valid JSON: {ex.Message}";
            }
        }

        var now = time.GetUtcNow();
        problem ??= request is null ? "send a JSON object {name, scopes, expiresAt?, requestsPerMinute?}"
            : string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100 ? "name must be 1 to 100 characters"
            : ApiKeyScopes.Validate(request.Scopes) is { } scopeProblem ? scopeProblem
            : request.ExpiresAt <= now ? $"expiresAt {request.ExpiresAt:O} is not in the future"
            : request.RequestsPerMinute is < 1 or > 1_000_000 ? "requestsPerMinute must be between 1 and 1000000"
            : null;
        if (problem is not null)
        {
            await audit.RecordAsync(context, "apikey.create", request?.Name, AuditResult.Refused, problem);
            return ApiProblems.Create(400, "invalid_api_key_request", "Invalid API key request", problem);
        }

        var actor = context.User.Identity?.Name ?? "admin";
        var (key, text) = await keys.CreateAsync(request!.Name!.Trim(), request.Scopes!, request.ExpiresAt, request.RequestsPerMinute, actor, context.RequestAborted);
        await audit.RecordAsync(context, "apikey.create", key.Id, AuditResult.Ok, $"{key.Name}: {string.Join(' ', key.Scopes)}");
        return TypedResults.Json(new CreatedApiKey(text, ApiKeyInfo.From(key, keys.DefaultRequestsPerMinute, now)), ApiJsonContext.Default.CreatedApiKey, statusCode: 201);
    }
}
