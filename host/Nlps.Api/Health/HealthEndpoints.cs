using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Serialization;
using Nlps.Plugins.Management;
using Nlps.Plugins.Runtime;
using Nlps.Storage.Database;

namespace Nlps.Api.Health;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (database and plugins are up). Both are public.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Json(new HealthReport("alive", null, null), ApiJsonContext.Readable.HealthReport)).AllowAnonymous();
        endpoints.MapGet("/readyz", async (StateDatabase database, PluginManager plugins, CancellationToken cancellationToken) =>
        {
            var databaseOk = await database.CheckAsync(cancellationToken);
            var list = plugins.List();
            var pluginCheck = new PluginReadiness(
                plugins.IsStarted,
                list.Count(p => p.State == PluginState.Running),
                list.Count(p => p.State == PluginState.Faulted),
                list.Count(p => p.State == PluginState.Disabled));
            var ready = databaseOk && plugins.IsStarted;
            return TypedResults.Json(
                new HealthReport(ready ? "ready" : "not_ready", databaseOk ? "ok" : "failing", pluginCheck),
                ApiJsonContext.Readable.HealthReport,
                statusCode: ready ? 200 : 503);
        }).AllowAnonymous();
        return endpoints;
    }
}

/// <summary>The body of the health routes.</summary>
/// <param name="Status">alive, ready or not_ready.</param>
/// <param name="Database">ok or failing (readiness only).</param>
/// <param name="Plugins">Plugin counts (readiness only).</param>
public sealed record HealthReport(string Status, string? Database, PluginReadiness? Plugins);

/// <summary>Plugin part of readiness. A faulted plugin does not make the appliance unready: the others still serve.</summary>
/// <param name="Loaded">Whether start-up has tried every enabled plugin.</param>
/// <param name="Running">Running plugins.</param>
/// <param name="Faulted">Faulted plugins.</param>
/// <param name="Disabled">Disabled plugins.</param>
public sealed record PluginReadiness(bool Loaded, int Running, int Faulted, int Disabled);
