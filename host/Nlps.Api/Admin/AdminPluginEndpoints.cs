using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Serialization;
using Nlps.Plugins.Configuration;
using Nlps.Plugins.Management;
using Nlps.Plugins.Packaging;
using Nlps.Plugins.Runtime;
using Nlps.Storage.Audit;

namespace Nlps.Api.Admin;

/// <summary>The plugin administration API under <c>/v1/admin/plugins</c>. Every call leaves an audit row.</summary>
public static class AdminPluginEndpoints
{
    private const int MaxConfigBytes = 256 * 1024;

    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminPluginEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/admin/plugins").RequireAuthorization(ApiPolicies.Admin);
        group.MapGet("/", (PluginManager plugins) => TypedResults.Json(plugins.List(), ApiJsonContext.Readable.IReadOnlyListPluginStatus));
        group.MapGet("/{id}", (string id, PluginManager plugins) =>
            Run(() => Task.FromResult<IResult>(TypedResults.Json(plugins.Get(id), ApiJsonContext.Readable.PluginStatus))));
        group.MapPost("/", InstallAsync);
        group.MapPost("/{id}/enable", (HttpContext context, string id, PluginManager plugins, AdminAudit audit) =>
            Audited(context, audit, "plugin.enable", id, async () => Ok(await plugins.EnableAsync(id, context.RequestAborted))));
        group.MapPost("/{id}/disable", (HttpContext context, string id, PluginManager plugins, AdminAudit audit) =>
            Audited(context, audit, "plugin.disable", id, async () => Ok(await plugins.DisableAsync(id, context.RequestAborted))));
        group.MapPost("/{id}/rollback", (HttpContext context, string id, PluginManager plugins, AdminAudit audit) =>
            Audited(context, audit, "plugin.rollback", id, async () => Ok(await plugins.RollbackAsync(id, context.RequestAborted))));
        group.MapGet("/{id}/config", (string id, PluginManager plugins, CancellationToken cancellationToken) =>
            Run(async () => TypedResults.Json(await plugins.GetConfigAsync(id, cancellationToken), ApiJsonContext.Readable.PluginConfigView)));
        group.MapPut("/{id}/config", PutConfigAsync);
        group.MapDelete("/{id}", (HttpContext context, string id, bool? purge, PluginManager plugins, AdminAudit audit) =>
            Audited(context, audit, purge == true ? "plugin.uninstall+purge" : "plugin.uninstall", id, async () =>
                TypedResults.Json(await plugins.UninstallAsync(id, purge == true, context.RequestAborted), ApiJsonContext.Readable.UninstallResult)));
        return endpoints;
    }

    private static async Task<IResult> InstallAsync(HttpContext context, PluginManager plugins, AdminAudit audit, IOptions<PluginHostOptions> options)
    {
        var limit = options.Value.MaxPackageBytes;
        Directory.CreateDirectory(options.Value.StagingDirectory);
        var upload = Path.Combine(options.Value.StagingDirectory, $"upload-{Guid.NewGuid():N}.nlpkg");
        try
        {
            var written = await SaveUploadAsync(context.Request, upload, limit, context.RequestAborted);
            if (written is null)
            {
                await audit.RecordAsync(context, "plugin.install", null, AuditResult.Refused, $"upload larger than {limit} bytes");
                return ApiProblems.Create(413, "package_too_large", "Package too large", $"The upload is larger than Plugins:MaxPackageBytes ({limit} bytes).");
            }

            return await Audited(context, audit, "plugin.install", $"upload of {written} bytes", async () =>
            {
                var status = await plugins.InstallAsync(upload, context.RequestAborted);
                await audit.RecordAsync(context, "plugin.install", $"{status.Id} {status.Version}", status.State == PluginState.Faulted ? AuditResult.Failed : AuditResult.Ok, status.State == PluginState.Faulted ? status.Reason : null);
                return TypedResults.Json(status, ApiJsonContext.Readable.PluginStatus, statusCode: 201);
            }, recordSuccess: false);
        }
        finally
        {
            File.Delete(upload);
        }
    }

    // The body is the whole new configuration. Refused (400, every schema error listed, nothing saved) or saved and the agent restarted.
    private static async Task<IResult> PutConfigAsync(HttpContext context, string id, PluginManager plugins, AdminAudit audit)
    {
        var body = await RequestBody.ReadAsync(context.Request, MaxConfigBytes, context.RequestAborted);
        if (body is null)
        {
            await audit.RecordAsync(context, "plugin.config", id, AuditResult.Refused, $"configuration larger than {MaxConfigBytes} bytes");
            return ApiProblems.Create(413, "config_too_large", "Configuration refused", $"A configuration may be at most {MaxConfigBytes} bytes.");
        }

        JsonElement config;
        try
        {
            config = JsonElement.Parse(body);
        }
        catch (JsonException ex)
        {
            await audit.RecordAsync(context, "plugin.config", id, AuditResult.Refused, "invalid_json: " + ex.Message);
            return ApiProblems.Create(400, "invalid_json", "Configuration refused", "The body is not JSON: " + ex.Message);
        }

        return await Audited(context, audit, "plugin.config", id, async () =>
        {
            var change = await plugins.SetConfigAsync(id, config, context.RequestAborted);
            if (change.Status is not { } status)
            {
                var listed = string.Join("; ", change.Errors.Select(e => $"{e.Path}: {e.Message}"));
                await audit.RecordAsync(context, "plugin.config", id, AuditResult.Refused, "config_invalid: " + listed);
                return Refused(400, "config_invalid", "Configuration refused", $"The configuration breaks the plugin's schema in {change.Errors.Count} place(s): {listed}", change.Errors);
            }

            var faulted = status.State == PluginState.Faulted;
            await audit.RecordAsync(context, "plugin.config", id, faulted ? AuditResult.Failed : AuditResult.Ok, faulted ? "saved, but the agent did not start: " + status.Reason : null);
            return Ok(status);
        }, recordSuccess: false);
    }

    private static async Task<long?> SaveUploadAsync(HttpRequest request, string path, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new byte[81920];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return null;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }

    private static IResult Ok(PluginStatus status) => TypedResults.Json(status, ApiJsonContext.Readable.PluginStatus);

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (PluginOperationException ex)
        {
            return ApiProblems.Create(ex.StatusCode, ex.Code, "Plugin operation refused", ex.Message);
        }
    }

    private static async Task<IResult> Audited(HttpContext context, AdminAudit audit, string action, string? target, Func<Task<IResult>> run, bool recordSuccess = true)
    {
        try
        {
            var result = await run();
            if (recordSuccess)
            {
                await audit.RecordAsync(context, action, target, AuditResult.Ok, null);
            }

            return result;
        }
        catch (PackageRejectedException ex)
        {
            await audit.RecordAsync(context, action, target, AuditResult.Refused, $"{ex.Code}: {ex.Message}");
            return ApiProblems.Create(ex.Code == "too_large" ? 413 : 422, ex.Code, "Package refused", ex.Message);
        }
        catch (PluginOperationException ex)
        {
            await audit.RecordAsync(context, action, target, ex.StatusCode >= 500 || ex.Code == "plugin_start_failed" ? AuditResult.Failed : AuditResult.Refused, $"{ex.Code}: {ex.Message}");
            return Refused(ex.StatusCode, ex.Code, "Plugin operation refused", ex.Message, ex.ConfigErrors);
        }
    }

    // A problem document; schema errors, when there are any, also as an "errors" list the console shows field by field.
    private static IResult Refused(int status, string code, string title, string detail, IReadOnlyList<ConfigError> errors)
    {
        var problem = ApiProblems.Details(status, code, title, detail);
        if (errors.Count > 0)
        {
            problem.Extensions["errors"] = errors.ToArray();
        }

        return TypedResults.Problem(problem);
    }
}
