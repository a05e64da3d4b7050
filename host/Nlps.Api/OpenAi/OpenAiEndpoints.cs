using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Security.ApiKeys;
using Nlps.Models.Deployments;

namespace Nlps.Api.OpenAi;

/// <summary>
/// The OpenAI-compatible surface over the model deployments: <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c> and
/// <c>POST /v1/chat/completions</c> (<see cref="ChatCompletionHandler"/>) and <c>POST /v1/embeddings</c>
/// (<see cref="EmbeddingsHandler"/>). Model ids are deployment names. The
/// administrator sees every deployment; an API key those its <c>models</c> / <c>models:deployment</c> scopes allow.
/// A standalone engine process (<c>nlpsd engine serve</c>) maps them open: it listens on loopback for its supervisor only.
/// </summary>
public static class OpenAiEndpoints
{
    /// <summary>Largest chat completion body read (long conversations fit; anything bigger is refused with 413).</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="open">No credentials asked and every model usable (the engine process); default false.</param>
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder endpoints, bool open = false)
    {
        var group = endpoints.MapGroup("/v1");
        _ = open ? group.AllowAnonymous().WithMetadata(OpenAccess.Instance) : group.RequireAuthorization(ApiPolicies.Models);
        group.MapGet("/models", (IServedModels deployments, HttpContext context) => WriteModelsAsync(context, deployments));
        group.MapGet("/models/{id}", (string id, IServedModels deployments, HttpContext context) =>
            deployments.Find(id) is { } deployment && MayUse(context, id)
                ? WriteJsonAsync(context, json => WriteModel(json, deployment))
                : OpenAiError.WriteAsync(context, 404, "model_not_found", ModelNotFound.Message(context, deployments, id), "model"));
        group.MapPost("/chat/completions", (HttpContext context, ChatCompletionHandler handler) => WithBodyAsync(context, handler.HandleAsync));
        // Asks whether the handler is registered without building it (building it would read and validate options early).
        if (endpoints.ServiceProvider.GetService(typeof(IServiceProviderIsService)) is IServiceProviderIsService services && services.IsService(typeof(EmbeddingsHandler)))
        {
            // Hosts without embedding models leave the handler out (and the route unmapped).
            group.MapPost("/embeddings", (HttpContext context, EmbeddingsHandler handler) => WithBodyAsync(context, handler.HandleAsync));
        }
        return endpoints;
    }

    /// <summary>True when the caller may use <paramref name="deployment"/>: the administrator, or a key with a matching models scope.</summary>
    /// <param name="context">The request.</param>
    /// <param name="deployment">The deployment name.</param>
    public static bool MayUse(HttpContext context, string deployment)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint()?.Metadata.GetMetadata<OpenAccess>() is not null
            || context.User.IsInRole(ApiPolicies.AdminRole) || ApiKeyScopes.AllowsModel(ApiKeyClaims.GetScopes(context.User), deployment);
    }

    private static async Task WithBodyAsync(HttpContext context, Func<HttpContext, byte[], Task> handle)
    {
        byte[]? body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await OpenAiError.WriteAsync(context, 413, "request_too_large", $"The request body is larger than {MaxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        await handle(context, body).ConfigureAwait(false);
    }

    private static Task WriteModelsAsync(HttpContext context, IServedModels deployments) =>
        WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (DeploymentInfo deployment in deployments.List().Where(d => MayUse(context, d.Name)))
            {
                WriteModel(json, deployment);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });

    private static void WriteModel(Utf8JsonWriter json, DeploymentInfo deployment)
    {
        json.WriteStartObject();
        json.WriteString("id", deployment.Name);
        json.WriteString("object", "model");
        json.WriteNumber("created", deployment.Created.ToUnixTimeSeconds());
        json.WriteString("owned_by", "nlps");
        json.WriteString("root", deployment.ModelId);
        if (deployment.Parent is { } parent)
        {
            json.WriteString("parent", parent);
        }

        json.WriteNumber("max_model_len", deployment.MaxContext);
        json.WriteEndObject();
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, OpenAiError.WriterOptions))
        {
            write(json);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Endpoint metadata of the open (engine process) mapping.</summary>
    private sealed class OpenAccess
    {
        public static readonly OpenAccess Instance = new();
    }
}
