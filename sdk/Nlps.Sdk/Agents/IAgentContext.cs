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

    /// <summary>The chat model serving <paramref name="role"/> (a role from the manifest's <c>models</c>).</summary>
    /// <param name="role">The role, e.g. <c>chat</c>.</param>
    /// <exception cref="ModelRoleUnavailableException">No model serves the role on this appliance.</exception>
    IChatClient GetChatClient(string role = "chat");

    /// <summary>The embedding model serving <paramref name="role"/>.</summary>
    /// <param name="role">The role, e.g. <c>embed</c>.</param>
    /// <exception cref="ModelRoleUnavailableException">No model serves the role on this appliance.</exception>
    IEmbeddingGenerator<string, Embedding<float>> GetEmbeddingGenerator(string role = "embed");
}
