using Microsoft.Extensions.AI;
using Nlps.Plugins.Runtime;

namespace Nlps.Agents.Chatbot.Tests.Support;

/// <summary>TEST DOUBLE for the model scheduler (no engine on this branch): serves the test chat client and embedder for every agent.</summary>
internal sealed class TestModels(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>> embedder) : IModelRoleProvider
{
    public IChatClient? GetChatClient(string agentId, string role, out string reason)
    {
        reason = string.Empty;
        return chat;
    }

    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string agentId, string role, out string reason)
    {
        reason = string.Empty;
        return embedder;
    }
}
