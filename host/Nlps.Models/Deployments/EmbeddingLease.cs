using Microsoft.Extensions.AI;

namespace Nlps.Models.Deployments;

/// <summary>A started embedding deployment held for one request; disposing it gives the slot back to whoever handed it out.</summary>
/// <param name="deploymentId">The deployment.</param>
/// <param name="generator">
/// Its engine's generator, valid while the lease is held: the side (query or passage) is chosen per call through
/// <c>EmbeddingGenerationOptions.AdditionalProperties["nlps.embedding_side"]</c>, else the deployment's default side.
/// </param>
/// <param name="release">Gives the slot back.</param>
public sealed class EmbeddingLease(string deploymentId, IEmbeddingGenerator<string, Embedding<float>> generator, IDisposable release) : IDisposable
{
    public string DeploymentId { get; } = deploymentId;

    public IEmbeddingGenerator<string, Embedding<float>> Generator { get; } = generator;

    public void Dispose() => release.Dispose();
}
