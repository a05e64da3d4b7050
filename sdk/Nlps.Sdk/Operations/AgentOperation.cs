using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Nlps.Sdk.Agents;

namespace Nlps.Sdk.Operations;

/// <summary>One registered operation, as the appliance calls it: JSON bytes in, JSON bytes out.</summary>
public abstract class AgentOperation
{
    private protected AgentOperation(string name, bool isStreaming, JsonTypeInfo requestType)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(requestType);
        Name = name;
        IsStreaming = isStreaming;
        RequestSchema = JsonSchemaExporter.GetJsonSchemaAsNode(requestType, SchemaOptions).ToJsonString(SchemaWriterOptions);
    }

    /// <summary>The operation name.</summary>
    public string Name { get; }

    /// <summary>True for operations that return a stream of items.</summary>
    public bool IsStreaming { get; }

    /// <summary>
    /// The JSON Schema of the request body, derived from the request type's serializer metadata (property names,
    /// types, required members); the console builds its playground form from it.
    /// </summary>
    public string RequestSchema { get; }

    /// <summary>Runs a request/response operation.</summary>
    /// <param name="requestJson">The UTF-8 JSON request body.</param>
    /// <param name="cancellationToken">Cancelled when the caller goes away or the call times out.</param>
    /// <returns>The UTF-8 JSON response body.</returns>
    /// <exception cref="AgentOperationException">The request is invalid (<c>invalid_request</c>) or the agent reported an error.</exception>
    public abstract ValueTask<byte[]> InvokeAsync(ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken);

    /// <summary>Runs a streaming operation.</summary>
    /// <param name="requestJson">The UTF-8 JSON request body.</param>
    /// <param name="cancellationToken">Cancelled when the caller goes away or the call times out.</param>
    /// <returns>Each item as UTF-8 JSON.</returns>
    public abstract IAsyncEnumerable<byte[]> StreamAsync(ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken);

    private static readonly JsonSchemaExporterOptions SchemaOptions = new() { TreatNullObliviousAsNonNullable = true };

    private static readonly JsonSerializerOptions SchemaWriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // Korean (and every other script) goes out as itself, not as \uXXXX escapes; HTML-sensitive characters stay escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private protected static byte[] WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private protected static T ReadRequest<T>(ReadOnlyMemory<byte> json, JsonTypeInfo<T> typeInfo)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json.Span, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new AgentOperationException("invalid_request", $"The request body is not valid for this operation: {ex.Message}");
        }

        return value ?? throw new AgentOperationException("invalid_request", "The request body must be a JSON object, not null.");
    }
}

internal sealed class UnaryOperation<TRequest, TResponse>(
    string name,
    JsonTypeInfo<TRequest> request,
    JsonTypeInfo<TResponse> response,
    Func<TRequest, CancellationToken, ValueTask<TResponse>> handler) : AgentOperation(name, isStreaming: false, request)
{
    public override async ValueTask<byte[]> InvokeAsync(ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken)
    {
        var result = await handler(ReadRequest(requestJson, request), cancellationToken).ConfigureAwait(false);
        return WriteJson(result, response);
    }

    public override IAsyncEnumerable<byte[]> StreamAsync(ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"Operation '{Name}' does not stream.");
}

internal sealed class StreamingOperation<TRequest, TItem>(
    string name,
    JsonTypeInfo<TRequest> request,
    JsonTypeInfo<TItem> item,
    Func<TRequest, CancellationToken, IAsyncEnumerable<TItem>> handler) : AgentOperation(name, isStreaming: true, request)
{
    public override ValueTask<byte[]> InvokeAsync(ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"Operation '{Name}' streams; call StreamAsync.");

    public override async IAsyncEnumerable<byte[]> StreamAsync(
        ReadOnlyMemory<byte> requestJson,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parsed = ReadRequest(requestJson, request);
        await foreach (var value in handler(parsed, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return WriteJson(value, item);
        }
    }
}
