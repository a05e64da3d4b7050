using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Models.Deployments;

/// <summary>
/// The embedding generator an agent gets for a role: each call leases the deployment from the scheduler (loading it
/// when needed) and releases it when the vectors are ready. The side (query or passage) is chosen per call through
/// <c>EmbeddingGenerationOptions.AdditionalProperties["nlps.embedding_side"]</c> (the SDK's <c>EmbeddingSides</c>).
/// </summary>
public sealed class LeasedEmbeddingGenerator(ModelDeployments deployments, string deployment) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ModelDeployments _deployments = deployments ?? throw new ArgumentNullException(nameof(deployments));

    public string Deployment { get; } = deployment ?? throw new ArgumentNullException(nameof(deployment));

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        using EmbeddingLease lease = await _deployments.AcquireEmbeddingAsync(Deployment, cancellationToken).ConfigureAwait(false);
        return await lease.Generator.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new EmbeddingGeneratorMetadata("nlps-cpu", defaultModelId: Deployment));

    public void Dispose()
    {
        // Nothing is held between calls.
    }
}
