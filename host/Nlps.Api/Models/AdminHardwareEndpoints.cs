using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Hardware.Snapshot;

namespace Nlps.Api.Models;

/// <summary><c>GET /v1/admin/hardware</c>: the latest snapshot (<c>?refresh=true</c> takes a new one); <c>simulated</c> is true when a recorded box is presented.</summary>
public static class AdminHardwareEndpoints
{
    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminHardwareEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/admin/hardware", async (bool? refresh, IHardwareSnapshotSource hardware, HttpContext context) =>
        {
            HardwareSnapshot snapshot = refresh == true || hardware.Current is null
                ? await hardware.RefreshAsync(context.RequestAborted)
                : hardware.Current;
            return TypedResults.Json(snapshot, ApiJsonContext.Readable.HardwareSnapshot);
        }).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }
}
