using Microsoft.Extensions.AI;

namespace Nlps.Plugins.Runtime;

/// <summary>The model roles of an appliance with no model deployments: every role is unavailable, and says so.</summary>
public sealed class NoDeployedModels : IModelRoleProvider
{
    private const string Reason = "no model deployment is configured on this appliance";

    /// <inheritdoc />
    public IChatClient? GetChatClient(string agentId, string role, out string reason)
    {
        reason = Reason;
        return null;
    }

    /// <inheritdoc />
    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string agentId, string role, out string reason)
    {
        reason = Reason;
        return null;
    }
}
