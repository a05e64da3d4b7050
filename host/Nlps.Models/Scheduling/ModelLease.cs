namespace Nlps.Models.Scheduling;

/// <summary>A resident deployment held for one request: it is neither evicted nor unloaded until the lease is disposed.</summary>
public sealed class ModelLease : IDisposable
{
    private readonly Action<ModelLease> _release;
    private int _released;

    internal ModelLease(ScheduledDeployment deployment, Action<ModelLease> release)
    {
        Deployment = deployment;
        _release = release;
    }

    public ScheduledDeployment Deployment { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _release(this);
        }
    }
}
