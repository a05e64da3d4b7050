using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Plugins.Management;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;

namespace Nlps.Api.Admin;

/// <summary><c>GET /v1/admin/status</c>.</summary>
public static class AdminStatusEndpoints
{
    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="stateDirectory">The state folder, reported as is.</param>
    /// <param name="startedAt">When the process started.</param>
    public static IEndpointRouteBuilder MapAdminStatusEndpoints(this IEndpointRouteBuilder endpoints, string stateDirectory, DateTimeOffset startedAt)
    {
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        endpoints.MapGet("/v1/admin/status", (PluginManager plugins) =>
        {
            var list = plugins.List();
            return TypedResults.Json(
                new ApplianceStatus(
                    version,
                    SdkCompatibility.Current.ToString(),
                    startedAt,
                    stateDirectory,
                    list.Count(p => p.State == PluginState.Running),
                    list.Count(p => p.State == PluginState.Faulted),
                    list.Count),
                ApiJsonContext.Readable.ApplianceStatus);
        }).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }
}
