using Microsoft.Extensions.AI;
using Nlps.Plugins.Runtime;

namespace Nlps.Models.Deployments;

/// <summary>
/// Model roles for agents from configuration: <c>Models:Agents:&lt;agent&gt;:&lt;role&gt;</c>, else <c>Models:Roles:&lt;role&gt;</c>,
/// else the one deployment that lists the role. Chat roles get a <see cref="LeasedChatClient"/>; the CPU engine
/// serves no embedding models yet.
/// </summary>
public sealed class DeployedModelRoles(ModelDeployments deployments) : IModelRoleProvider
{
    public IChatClient? GetChatClient(string agentId, string role, out string reason)
    {
        string? deployment = deployments.ResolveRole(agentId, role, out reason);
        return deployment is null ? null : new LeasedChatClient(deployments, deployment);
    }

    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string agentId, string role, out string reason)
    {
        reason = deployments.ResolveRole(agentId, role, out string why) is { } deployment
            ? $"deployment '{deployment}' is a chat model; the built-in engine serves no embedding models yet"
            : why;
        return null;
    }
}
