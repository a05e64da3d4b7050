using Microsoft.Extensions.AI;
using Nlps.Plugins.Runtime;

namespace Nlps.Models.Deployments;

/// <summary>
/// Model roles for agents from configuration: <c>Models:Agents:&lt;agent&gt;:&lt;role&gt;</c>, else <c>Models:Roles:&lt;role&gt;</c>,
/// else the one deployment that lists the role. Chat roles get a <see cref="LeasedChatClient"/>; embedding roles a
/// <see cref="LeasedEmbeddingGenerator"/> when the deployment is an encoder.
/// </summary>
public sealed class DeployedModelRoles(ModelDeployments deployments) : IModelRoleProvider
{
    public IChatClient? GetChatClient(string agentId, string role, out string reason)
    {
        string? deployment = deployments.ResolveRole(agentId, role, out reason);
        if (deployments.Find(deployment ?? string.Empty) is { IsEmbedding: true })
        {
            reason = $"deployment '{deployment}' is an embedding model; role '{role}' needs a chat model deployment";
            return null;
        }

        return deployment is null ? null : new LeasedChatClient(deployments, deployment);
    }

    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string agentId, string role, out string reason)
    {
        string? deployment = deployments.ResolveRole(agentId, role, out reason);
        if (deployment is null)
        {
            return null;
        }

        if (deployments.Find(deployment) is not { IsEmbedding: true })
        {
            reason = $"deployment '{deployment}' is not an embedding model; role '{role}' needs an encoder (BERT, XLM-R) deployment";
            return null;
        }

        return new LeasedEmbeddingGenerator(deployments, deployment);
    }
}
