using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Storage.Audit;

namespace Nlps.Api.Admin;

/// <summary><c>GET /v1/admin/audit</c>: the audit log, newest first, paged by id.</summary>
public static class AdminAuditEndpoints
{
    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/admin/audit", async (int? limit, long? before, string? action, AuditLog log, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > 1000)
            {
                return ApiProblems.Create(400, "invalid_limit", "Invalid limit", "limit must be between 1 and 1000.");
            }

            var rows = await log.QueryAsync(limit ?? 100, before, action, cancellationToken);
            return TypedResults.Json(rows, ApiJsonContext.Readable.IReadOnlyListAuditRecord);
        }).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }
}
