using Nlps.Inference.Embeddings;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>A loaded embedding deployment held for one request; disposing it gives the slot back to the scheduler.</summary>
public sealed class EmbeddingLease(ModelLease lease, DualEncoder encoder, EmbeddingSide defaultSide) : IDisposable
{
    public string DeploymentId => lease.Deployment.Id;

    public DualEncoder Encoder { get; } = encoder;

    /// <summary>The side of texts whose caller names none (the deployment's <c>Embedding:DefaultSide</c>).</summary>
    public EmbeddingSide DefaultSide { get; } = defaultSide;

    public void Dispose() => lease.Dispose();
}
