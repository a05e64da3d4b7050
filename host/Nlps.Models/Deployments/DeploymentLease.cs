using Nlps.Inference.Engine;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>A loaded model held for one request; disposing it gives the slot back to the scheduler.</summary>
public sealed class DeploymentLease(ModelLease lease, ILanguageModel model) : IDisposable
{
    public string DeploymentId => lease.Deployment.Id;

    public ILanguageModel Model { get; } = model;

    public void Dispose() => lease.Dispose();
}
