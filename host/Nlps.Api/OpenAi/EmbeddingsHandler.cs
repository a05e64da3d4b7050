using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Nlps.Inference.Embeddings;
using Nlps.Models.Deployments;

namespace Nlps.Api.OpenAi;

/// <summary>
/// <c>POST /v1/embeddings</c> on an embedding deployment, in OpenAI's shape: <c>{object: "list", data: [{object:
/// "embedding", index, embedding}], model, usage: {prompt_tokens, total_tokens}}</c>, vectors as JSON numbers or, with
/// <c>encoding_format: "base64"</c> (what openai-python sends by default), base64 of little-endian float32. Every
/// refusal is a 4xx in OpenAI's error shape, never a 200 with empty data: bad input 400, an input over the model's
/// limit 400 <c>context_length_exceeded</c> (when the deployment refuses rather than truncates), a chat deployment
/// 400, an unknown or forbidden one 404; the scheduler's and the engine's answers are <see cref="ServingError"/>'s (an
/// engine process or remote endpoint's refusal keeps its 4xx, its failure is 502), the same as chat completions'.
/// </summary>
public sealed class EmbeddingsHandler(IServedModels deployments)
{
    /// <summary>Serves one request whose body has been read.</summary>
    /// <param name="context">The request.</param>
    /// <param name="body">Its body.</param>
    public async Task HandleAsync(HttpContext context, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(context);
        EmbeddingRequest? request = EmbeddingRequestReader.Read(body, out EmbeddingRequestError? error);
        if (request is null)
        {
            await OpenAiError.WriteAsync(context, 400, error!.Code, error.Message, error.Param).ConfigureAwait(false);
            return;
        }

        DeploymentInfo? deployment = deployments.Find(request.Model);
        if (deployment is null || !OpenAiEndpoints.MayUse(context, request.Model))
        {
            await OpenAiError.WriteAsync(context, 404, "model_not_found", $"The model '{request.Model}' does not exist or you do not have access to it.", "model").ConfigureAwait(false);
            return;
        }

        if (!deployment.IsEmbedding)
        {
            await OpenAiError.WriteAsync(context, 400, "model_not_supported", $"The model '{request.Model}' is a chat model; /v1/embeddings needs an embedding (encoder) deployment.", "model").ConfigureAwait(false);
            return;
        }

        CancellationToken aborted = context.RequestAborted;
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            using EmbeddingLease lease = await deployments.AcquireEmbeddingAsync(request.Model, aborted).ConfigureAwait(false);
            var options = new EmbeddingGenerationOptions { Dimensions = request.Dimensions };
            if (request.Side is EmbeddingSide side)
            {
                options.AdditionalProperties = new() { [EncoderEmbeddingGenerator.SideOptionKey] = side == EmbeddingSide.Query ? "query" : "passage" };
            }

            embeddings = await lease.Generator.GenerateAsync(request.Inputs, options, aborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (request.Dimensions is not null && ex.ParamName == "options")
        {
            await OpenAiError.WriteAsync(context, 400, "unsupported_value", ex.Message, "dimensions").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ServingError.From(ex, request.Model, "input") is { } failure)
        {
            await failure.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, request, embeddings).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, EmbeddingRequest request, GeneratedEmbeddings<Embedding<float>> embeddings)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, OpenAiError.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            for (int i = 0; i < embeddings.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                ReadOnlySpan<float> vector = embeddings[i].Vector.Span;
                if (request.Base64)
                {
                    // Little-endian float32, as the OpenAI SDKs decode it (every platform .NET runs this on is little-endian).
                    json.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector));
                }
                else
                {
                    json.WriteStartArray("embedding");
                    foreach (float v in vector)
                    {
                        json.WriteNumberValue(v);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("model", request.Model);
            long tokens = embeddings.Usage?.InputTokenCount ?? 0;
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", tokens);
            json.WriteNumber("total_tokens", tokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
