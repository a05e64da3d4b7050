using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Models.Engines.OpenAi;

/// <summary>
/// <see cref="IChatClient"/> over an OpenAI-compatible server (vLLM, <c>nlpsd engine serve</c>, a remote cluster):
/// every call streams <c>POST /v1/chat/completions</c> and yields each server-sent event as it arrives. Maps
/// temperature, top_p, top_k, max output tokens, stop sequences and seed; numeric and string AdditionalProperties
/// (e.g. <c>min_p</c>, <c>repetition_penalty</c>) travel as top-level extras the way vLLM accepts them. A non-2xx
/// answer or an error event throws <see cref="EngineHttpException"/> with the server's message.
/// </summary>
public sealed class OpenAiCompatibleChatClient(HttpClient http, Uri baseAddress, string model, string? apiKey = null) : IChatClient
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));
    private readonly Uri _endpoint = new(baseAddress ?? throw new ArgumentNullException(nameof(baseAddress)), "v1/chat/completions");

    public string Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(Body(messages, options)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw EngineHttpException.FromErrorBody((int)response.StatusCode, $"{Model} answered {(int)response.StatusCode}", text);
        }

        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                string data = line[5..].Trim();
                if (data == "[DONE]")
                {
                    yield break;
                }

                if (Update(data) is { } update)
                {
                    yield return update;
                }
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new ChatClientMetadata("openai-compatible", _endpoint, Model));

    public void Dispose()
    {
        // The HttpClient belongs to the back-end.
    }

    private ChatResponseUpdate? Update(string data)
    {
        using var document = JsonDocument.Parse(data);
        JsonElement root = document.RootElement;
        if (root.TryGetProperty("error", out _))
        {
            throw EngineHttpException.FromErrorBody(200, $"{Model} failed while streaming", data);
        }

        var update = new ChatResponseUpdate { Role = ChatRole.Assistant, ModelId = Model };
        if (root.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String)
        {
            update.ResponseId = id.GetString();
            update.MessageId = update.ResponseId;
        }

        if (root.TryGetProperty("choices", out JsonElement choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            JsonElement choice = choices[0];
            if (choice.TryGetProperty("delta", out JsonElement delta) && delta.TryGetProperty("content", out JsonElement content)
                && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                update.Contents.Add(new TextContent(text));
            }

            if (choice.TryGetProperty("finish_reason", out JsonElement finish) && finish.ValueKind == JsonValueKind.String)
            {
                update.FinishReason = new ChatFinishReason(finish.GetString()!);
            }
        }

        if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
        {
            update.Contents.Add(new UsageContent(new UsageDetails
            {
                InputTokenCount = Count(usage, "prompt_tokens"),
                OutputTokenCount = Count(usage, "completion_tokens"),
                TotalTokenCount = Count(usage, "total_tokens"),
            }));
        }

        return update.Contents.Count > 0 || update.FinishReason is not null ? update : null;
    }

    private static long? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out JsonElement value) && value.TryGetInt64(out long count) ? count : null;

    private byte[] Body(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteStartArray("messages");
            foreach (ChatMessage message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role.Value);
                json.WriteString("content", message.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            WriteOptions(json, options);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptions(Utf8JsonWriter json, ChatOptions? options)
    {
        if (options is null)
        {
            return;
        }

        WriteNumber(json, "temperature", options.Temperature);
        WriteNumber(json, "top_p", options.TopP);
        WriteNumber(json, "top_k", options.TopK);
        WriteNumber(json, "max_tokens", options.MaxOutputTokens);
        WriteNumber(json, "seed", options.Seed);
        if (options.StopSequences is { Count: > 0 } stops)
        {
            json.WriteStartArray("stop");
            foreach (string stop in stops)
            {
                json.WriteStringValue(stop);
            }

            json.WriteEndArray();
        }

        foreach ((string name, object? value) in options.AdditionalProperties ?? [])
        {
            switch (value)
            {
                case string text:
                    json.WriteString(name, text);
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                case IConvertible number when value is int or long or float or double or decimal:
                    json.WriteNumber(name, number.ToDouble(CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    private static void WriteNumber<T>(Utf8JsonWriter json, string name, T? value)
        where T : struct, IConvertible
    {
        if (value is T number)
        {
            json.WriteNumber(name, number.ToDouble(CultureInfo.InvariantCulture));
        }
    }
}
