using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.AgentTemplate;

/// <summary>The agent. The appliance creates it, calls InitializeAsync, then ConfigureOperations.</summary>
public sealed partial class Agent : IAgent
{
    private ILogger? logger;
    private string? version;

    public ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        logger = context.LoggerFactory.CreateLogger<Agent>();
        version = context.Version;
        return ValueTask.CompletedTask;
    }

    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);

        // Requests and responses go through this project's own source-generated JSON context, never the host's.
        operations.Add("hello", AgentJson.Default.HelloRequest, AgentJson.Default.HelloResponse, HelloAsync);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ValueTask<HelloResponse> HelloAsync(HelloRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new AgentOperationException("name_required", "Give a name to greet.");
        }

        if (logger is not null)
        {
            Log.Greeting(logger, request.Name.Length);
        }

        return ValueTask.FromResult(new HelloResponse($"안녕하세요, {request.Name}!", version ?? "unknown"));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Greeting a name of {Length} characters")]
        public static partial void Greeting(ILogger logger, int length);
    }
}

public sealed record HelloRequest(string Name);

public sealed record HelloResponse(string Message, string Version);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HelloRequest))]
[JsonSerializable(typeof(HelloResponse))]
internal sealed partial class AgentJson : JsonSerializerContext;
