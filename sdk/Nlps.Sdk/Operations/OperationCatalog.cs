using System.Text.Json.Serialization.Metadata;

namespace Nlps.Sdk.Operations;

/// <summary>
/// The operations an agent registers. Requests and responses are (de)serialised with the <see cref="JsonTypeInfo{T}"/>
/// the agent passes in, which comes from the agent's own source-generated <c>JsonSerializerContext</c>: the appliance
/// only ever sees JSON bytes, so no agent type is cached by the host and the plugin can be unloaded.
/// </summary>
public sealed class OperationCatalog
{
    private readonly Dictionary<string, AgentOperation> operations = new(StringComparer.Ordinal);

    /// <summary>The registered operations by name.</summary>
    public IReadOnlyDictionary<string, AgentOperation> Operations => operations;

    /// <summary>Registers a request/response operation.</summary>
    /// <typeparam name="TRequest">The request body type.</typeparam>
    /// <typeparam name="TResponse">The response body type.</typeparam>
    /// <param name="name">The operation name from <c>plugin.json</c>.</param>
    /// <param name="request">Serializer metadata for the request.</param>
    /// <param name="response">Serializer metadata for the response.</param>
    /// <param name="handler">The operation.</param>
    public OperationCatalog Add<TRequest, TResponse>(
        string name,
        JsonTypeInfo<TRequest> request,
        JsonTypeInfo<TResponse> response,
        Func<TRequest, CancellationToken, ValueTask<TResponse>> handler)
    {
        Register(new UnaryOperation<TRequest, TResponse>(name, request, response, handler));
        return this;
    }

    /// <summary>Registers a streaming operation; each item is sent to the caller as one server-sent event.</summary>
    /// <typeparam name="TRequest">The request body type.</typeparam>
    /// <typeparam name="TItem">The type of each streamed item.</typeparam>
    /// <param name="name">The operation name from <c>plugin.json</c> (marked <c>streaming</c> there).</param>
    /// <param name="request">Serializer metadata for the request.</param>
    /// <param name="item">Serializer metadata for the items.</param>
    /// <param name="handler">The operation.</param>
    public OperationCatalog AddStreaming<TRequest, TItem>(
        string name,
        JsonTypeInfo<TRequest> request,
        JsonTypeInfo<TItem> item,
        Func<TRequest, CancellationToken, IAsyncEnumerable<TItem>> handler)
    {
        Register(new StreamingOperation<TRequest, TItem>(name, request, item, handler));
        return this;
    }

    private void Register(AgentOperation operation)
    {
        if (!operations.TryAdd(operation.Name, operation))
        {
            throw new InvalidOperationException($"Operation '{operation.Name}' is registered twice.");
        }
    }
}
