using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nlps.Sdk.Storage;

namespace Nlps.Sdk.Agents;

/// <summary>What the appliance gives an agent. Valid from <see cref="IAgent.InitializeAsync"/> until the agent is disposed.</summary>
public interface IAgentContext
{
    /// <summary>The plugin's id from its manifest.</summary>
    string AgentId { get; }

    /// <summary>The plugin's version from its manifest.</summary>
    string Version { get; }

    /// <summary>The agent's configuration section (an empty object when none is configured). Deserialize it with your own source-generated <c>JsonSerializerContext</c>.</summary>
    JsonElement Configuration { get; }

    /// <summary>A folder only this agent writes to; it survives upgrades and is removed only when the plugin is purged.</summary>
    string DataDirectory { get; }

    /// <summary>Creates loggers whose category is prefixed with the agent id. Log prompts and documents only at Trace.</summary>
    ILoggerFactory LoggerFactory { get; }

    /// <summary>A meter named after the agent, exported with the appliance's metrics.</summary>
    Meter Meter { get; }

    /// <summary>The agent's own key/value store in the appliance database.</summary>
    IKeyValueStore Store { get; }

    /// <summary>The agent's own full-text document store (BM25 over SQLite FTS5) in the appliance database. Since SDK 1.1.</summary>
    IDocumentStore Documents { get; }

    /// <summary>The agent's own vector store (exact top-k by dot product) in the appliance database. Since SDK 1.1.</summary>
    IVectorStore Vectors { get; }

    /// <summary>Cancelled when the appliance or the plugin is stopping.</summary>
    CancellationToken Stopping { get; }

    /// <summary>
    /// Calls a request/response operation of another agent on this appliance: JSON bytes in, JSON bytes out, as the
    /// appliance's HTTP API would run it. The called agent must be listed in this plugin's manifest
    /// <c>permissions</c> as <c>agents:&lt;agent id&gt;</c>. The call ends with the caller's cancellation or when
    /// either agent stops. Since SDK 1.2.
    /// </summary>
    /// <param name="agentId">The called agent's id, e.g. <c>nlps.keyword-graph</c>.</param>
    /// <param name="operation">A non-streaming operation of that agent.</param>
    /// <param name="requestJson">The UTF-8 JSON request body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The UTF-8 JSON response body.</returns>
    /// <exception cref="AgentOperationException">
    /// <c>agent_permission_denied</c> (403) without the permission; <c>agent_unavailable</c> (503) when the agent is
    /// not installed or not running; <c>operation_not_found</c> (404); <c>operation_streams</c> (400) for a streaming
    /// operation; or the called operation's own error.
    /// </exception>
    ValueTask<byte[]> CallAgentAsync(string agentId, string operation, ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken);

    /// <summary>The chat model serving <paramref name="role"/> (a role from the manifest's <c>models</c>).</summary>
    /// <param name="role">The role, e.g. <c>chat</c>.</param>
    /// <exception cref="ModelRoleUnavailableException">No model serves the role on this appliance.</exception>
    IChatClient GetChatClient(string role = "chat");

    /// <summary>The embedding model serving <paramref name="role"/>.</summary>
    /// <param name="role">The role, e.g. <c>embed</c>.</param>
    /// <exception cref="ModelRoleUnavailableException">No model serves the role on this appliance.</exception>
    IEmbeddingGenerator<string, Embedding<float>> GetEmbeddingGenerator(string role = "embed");
}
