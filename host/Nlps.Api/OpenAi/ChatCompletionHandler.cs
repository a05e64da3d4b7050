using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nlps.Api.Metrics;
using Nlps.Inference.Engine;
using Nlps.Models.Deployments;
using Nlps.Models.Scheduling;

namespace Nlps.Api.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c> on a deployment: leases it from the scheduler for the length of the request,
/// renders the conversation with the model's chat template, and answers as one JSON document or as server-sent
/// events (a first chunk with the role, text chunks, a chunk with <c>finish_reason</c>, the usage chunk with empty
/// <c>choices</c> when <c>stream_options.include_usage</c>, then <c>data: [DONE]</c>). Everything that can fail
/// before the first token (validation, scheduling, prefill, an engine process or remote endpoint refusing or failing)
/// gets a status code, the scheduler's and the engine's as <see cref="ServingError"/> says (as on /v1/embeddings); a
/// failure after the 200 header is a <c>data: {"error":…}</c> event, then <c>data: [DONE]</c>. A client that
/// disconnects cancels its generation.
/// </summary>
public sealed partial class ChatCompletionHandler(IServedModels deployments, ApplianceMetrics metrics, TimeProvider timeProvider, ILogger<ChatCompletionHandler> logger)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Serves one request whose body has been read.</summary>
    /// <param name="context">The request.</param>
    /// <param name="body">Its body.</param>
    public async Task HandleAsync(HttpContext context, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ChatCompletionRequest request;
        try
        {
            request = ChatCompletionRequestReader.Read(body);
        }
        catch (ChatCompletionRequestException ex)
        {
            await OpenAiError.WriteAsync(context, 400, ex.Code, ex.Message, ex.Param).ConfigureAwait(false);
            return;
        }

        if (deployments.Find(request.Model) is null || !OpenAiEndpoints.MayUse(context, request.Model))
        {
            await OpenAiError.WriteAsync(context, 404, "model_not_found", ModelNotFound.Message(context, deployments, request.Model), "model").ConfigureAwait(false);
            return;
        }

        if (deployments.Find(request.Model) is { IsEmbedding: true })
        {
            await OpenAiError.WriteAsync(context, 400, "model_not_supported", $"The model '{request.Model}' is an embedding model; use /v1/embeddings.", "model").ConfigureAwait(false);
            return;
        }

        CancellationToken aborted = context.RequestAborted;
        DeploymentLease lease;
        try
        {
            lease = await deployments.AcquireAsync(request.Model, aborted).ConfigureAwait(false);
        }
        catch (ModelUnavailableException ex)
        {
            await ServingError.Unavailable(ex).WriteAsync(context).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }

        using (lease)
        {
            if (lease.Model is { } model)
            {
                await GenerateAsync(context, request, model).ConfigureAwait(false);
            }
            else
            {
                // An engine process or a remote endpoint: its own server tokenizes; we relay its stream.
                var call = new Call(request, $"chatcmpl-{Guid.NewGuid():N}", timeProvider.GetUtcNow().ToUnixTimeSeconds(), promptTokens: 0);
                await RunAsync(context, call, token => ChatClientRelay.StreamAsync(lease.ChatClient, request, token)).ConfigureAwait(false);
            }
        }
    }

    private async Task GenerateAsync(HttpContext context, ChatCompletionRequest request, ILanguageModel model)
    {
        IReadOnlyList<int> prompt;
        try
        {
            prompt = model.EncodeChat(request.Messages);
        }
        catch (InvalidOperationException ex)
        {
            await OpenAiError.WriteAsync(context, 400, "chat_template_missing", ex.Message, "messages").ConfigureAwait(false);
            return;
        }

        int window = model.MaxContextTokens;
        if (prompt.Count >= window || (request.MaxTokens is int wanted && (long)prompt.Count + wanted > window))
        {
            string message = request.MaxTokens is int asked
                ? $"This model's maximum context length is {window} tokens. However, you requested {(long)prompt.Count + asked} tokens ({prompt.Count} in the messages, {asked} in the completion). Please reduce the length of the messages or completion."
                : $"This model's maximum context length is {window} tokens. However, your messages resulted in {prompt.Count} tokens. Please reduce the length of the messages.";
            await OpenAiError.WriteAsync(context, 400, "context_length_exceeded", message, "messages").ConfigureAwait(false);
            return;
        }

        var options = new GenerationOptions
        {
            MaxTokens = request.MaxTokens ?? window - prompt.Count,
            Sampling = request.Sampling,
            StopStrings = request.Stop,
            IgnoreEndOfSequence = request.IgnoreEos,
        };
        var call = new Call(request, $"chatcmpl-{Guid.NewGuid():N}", timeProvider.GetUtcNow().ToUnixTimeSeconds(), prompt.Count);
        await RunAsync(context, call, token => model.GenerateAsync(prompt, options, token)).ConfigureAwait(false);
    }

    private async Task RunAsync(HttpContext context, Call call, Func<CancellationToken, IAsyncEnumerable<GenerationUpdate>> generate)
    {
        ChatCompletionRequest request = call.Request;
        try
        {
            await using IAsyncEnumerator<GenerationUpdate> updates = generate(context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
            if (request.Stream)
            {
                await StreamAsync(context, call, updates).ConfigureAwait(false);
            }
            else
            {
                await RespondAsync(context, call, updates).ConfigureAwait(false);
            }

            metrics.RecordChatCompletion(request.Model, call.FinishReason ?? "error", call.PromptTokens, call.CompletionTokens);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            metrics.RecordChatCompletion(request.Model, "client_disconnect", call.PromptTokens, call.CompletionTokens);
            Log.ClientDisconnected(logger, request.Model, call.Id, call.CompletionTokens);
        }
        catch (Exception ex) when (ServingError.From(ex, request.Model, "messages") is { } error)
        {
            // The scheduler, the engine's limits or the engine behind the deployment said no: the same answers as /v1/embeddings.
            metrics.RecordChatCompletion(request.Model, ex is EngineBusyException ? "engine_busy" : "error", call.PromptTokens, call.CompletionTokens);
            if (error.Status == StatusCodes.Status502BadGateway)
            {
                Log.EngineFailed(logger, request.Model, call.Id, error.Message);
            }

            await WriteErrorAsync(context, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            metrics.RecordChatCompletion(request.Model, "error", call.PromptTokens, call.CompletionTokens);
            Log.GenerationFailed(logger, request.Model, call.Id, ex);
            await WriteErrorAsync(context, ex is ArgumentException ? new ServingError(400, "invalid_value", ex.Message) : new ServingError(500, "generation_failed", ex.Message)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before anything was sent, the error with its status. After the 200 header it travels as a <c>data:</c> event
    /// (openai-python raises APIError on it) followed by <c>data: [DONE]</c>, as vLLM ends such a stream, so the stream
    /// ends the way every client expects rather than being cut.
    /// </summary>
    private static async Task WriteErrorAsync(HttpContext context, ServingError error)
    {
        if (!context.Response.HasStarted)
        {
            await error.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await WriteEventAsync(context, error.ToJson(), CancellationToken.None).ConfigureAwait(false);
        await context.Response.Body.WriteAsync(DoneEvent, CancellationToken.None).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task RespondAsync(HttpContext context, Call call, IAsyncEnumerator<GenerationUpdate> updates)
    {
        var text = new StringBuilder();
        while (await updates.MoveNextAsync().ConfigureAwait(false))
        {
            call.Observe(updates.Current);
            text.Append(updates.Current.Text);
        }

        byte[] document = Json(json =>
        {
            json.WriteStartObject();
            WriteHeader(json, call, "chat.completion");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", text.ToString());
            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", call.FinishReason ?? "stop");
            json.WriteEndObject();
            json.WriteEndArray();
            WriteUsage(json, call);
            json.WriteEndObject();
        });
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = document.Length;
        await context.Response.Body.WriteAsync(document, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, Call call, IAsyncEnumerator<GenerationUpdate> updates)
    {
        // The first update needs the prefill: a failure there still gets a status code.
        bool more = await updates.MoveNextAsync().ConfigureAwait(false);
        CancellationToken aborted = context.RequestAborted;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await WriteEventAsync(context, Chunk(call, role: true, content: string.Empty, finishReason: null), aborted).ConfigureAwait(false);
        while (more)
        {
            GenerationUpdate update = updates.Current;
            call.Observe(update);
            if (update.Text.Length > 0)
            {
                await WriteEventAsync(context, Chunk(call, role: false, update.Text, finishReason: null), aborted).ConfigureAwait(false);
            }

            more = await updates.MoveNextAsync().ConfigureAwait(false);
        }

        await WriteEventAsync(context, Chunk(call, role: false, content: null, call.FinishReason ?? "stop"), aborted).ConfigureAwait(false);
        if (call.Request.IncludeUsage)
        {
            await WriteEventAsync(context, Json(json =>
            {
                json.WriteStartObject();
                WriteHeader(json, call, "chat.completion.chunk");
                json.WriteStartArray("choices");
                json.WriteEndArray();
                WriteUsage(json, call);
                json.WriteEndObject();
            }), aborted).ConfigureAwait(false);
        }

        await context.Response.Body.WriteAsync(DoneEvent, aborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    private static byte[] Chunk(Call call, bool role, string? content, string? finishReason) => Json(json =>
    {
        json.WriteStartObject();
        WriteHeader(json, call, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        if (role)
        {
            json.WriteString("role", "assistant");
        }

        if (content is not null)
        {
            json.WriteString("content", content);
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        if (call.Request.IncludeUsage)
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
    });

    private static void WriteHeader(Utf8JsonWriter json, Call call, string kind)
    {
        json.WriteString("id", call.Id);
        json.WriteString("object", kind);
        json.WriteNumber("created", call.Created);
        json.WriteString("model", call.Request.Model);
        json.WriteNull("system_fingerprint");
    }

    private static void WriteUsage(Utf8JsonWriter json, Call call)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", call.PromptTokens);
        json.WriteNumber("completion_tokens", call.CompletionTokens);
        json.WriteNumber("total_tokens", call.PromptTokens + call.CompletionTokens);
        json.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, OpenAiError.WriterOptions))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task WriteEventAsync(HttpContext context, byte[] payload, CancellationToken cancellationToken)
    {
        Stream output = context.Response.Body;
        await output.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Call(ChatCompletionRequest request, string id, long created, int promptTokens)
    {
        public ChatCompletionRequest Request { get; } = request;

        public string Id { get; } = id;

        public long Created { get; } = created;

        public int PromptTokens { get; private set; } = promptTokens;

        public int CompletionTokens { get; private set; }

        public string? FinishReason { get; private set; }

        public void Observe(GenerationUpdate update)
        {
            PromptTokens = Math.Max(PromptTokens, update.PromptTokens);
            CompletionTokens = update.CompletionTokens;
            if (update.FinishReason is Inference.Engine.FinishReason reason)
            {
                FinishReason = reason == Inference.Engine.FinishReason.Stop ? "stop" : "length";
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, EventName = "ChatClientDisconnected", Level = LogLevel.Information,
            Message = "Chat completion {CompletionId} on {Deployment}: the client went away after {CompletionTokens} tokens; generation stopped")]
        public static partial void ClientDisconnected(ILogger logger, string deployment, string completionId, int completionTokens);

        [LoggerMessage(EventId = 1402, EventName = "ChatGenerationFailed", Level = LogLevel.Error, Message = "Chat completion {CompletionId} on {Deployment} failed")]
        public static partial void GenerationFailed(ILogger logger, string deployment, string completionId, Exception exception);

        [LoggerMessage(EventId = 1403, EventName = "ChatEngineFailed", Level = LogLevel.Warning, Message = "Chat completion {CompletionId} on {Deployment}: the engine failed: {Reason}")]
        public static partial void EngineFailed(ILogger logger, string deployment, string completionId, string reason);
    }
}
