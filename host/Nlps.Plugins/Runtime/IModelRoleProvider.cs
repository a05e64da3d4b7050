using Microsoft.Extensions.AI;

namespace Nlps.Plugins.Runtime;

/// <summary>Finds the model that serves a role for an agent. The model scheduler implements it once engines exist.</summary>
public interface IModelRoleProvider
{
    /// <summary>The chat client for <paramref name="role"/>, or null with a reason when no model serves it.</summary>
    /// <param name="agentId">The asking agent.</param>
    /// <param name="role">The role from its manifest.</param>
    /// <param name="reason">Why there is none.</param>
    IChatClient? GetChatClient(string agentId, string role, out string reason);

    /// <summary>The embedding generator for <paramref name="role"/>, or null with a reason when no model serves it.</summary>
    /// <param name="agentId">The asking agent.</param>
    /// <param name="role">The role from its manifest.</param>
    /// <param name="reason">Why there is none.</param>
    IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string agentId, string role, out string reason);
}
