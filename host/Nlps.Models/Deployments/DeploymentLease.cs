using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Models.Deployments;

/// <summary>A started deployment held for one request; disposing it gives the slot back to whoever handed it out.</summary>
public sealed class DeploymentLease(string deploymentId, ILanguageModel? model, IChatClient chatClient, IDisposable release) : IDisposable
{
    public string DeploymentId { get; } = deploymentId;

    /// <summary>The loaded model when it runs in this process, for callers that work on tokens; null on engine processes and remote endpoints.</summary>
    public ILanguageModel? Model { get; } = model;

    /// <summary>The engine's chat client for the deployment; valid while the lease is held.</summary>
    public IChatClient ChatClient { get; } = chatClient;

    public void Dispose() => release.Dispose();
}
