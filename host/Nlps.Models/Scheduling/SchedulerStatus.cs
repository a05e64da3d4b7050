namespace Nlps.Models.Scheduling;

/// <summary>The scheduler's live state for the admin API.</summary>
public sealed record SchedulerStatus(IReadOnlyList<DeviceBudget> Devices, IReadOnlyList<DeploymentStatus> Deployments, IReadOnlyList<SchedulerEvent> Events);

/// <summary>A device's usable bytes and the bytes held by loading, resident and unloading deployments.</summary>
public sealed record DeviceBudget(string DeviceId, long CapacityBytes, long HeldBytes);

public sealed record DeploymentStatus(
    string Id,
    string ModelId,
    ResidencyState State,
    bool Pinned,
    int Active,
    int Waiting,
    DateTimeOffset? LastUsed,
    IReadOnlyDictionary<string, long> BytesPerDevice,
    int Loads,
    int Evictions)
{
    /// <summary>Its engine and where the deployment stands on it; filled in by the deployments, null from the scheduler alone.</summary>
    public DeploymentEngineStatus? Engine { get; init; }
}

/// <summary>A deployment on its engine: cpu, process or remote; Stopped, Starting, Ready, Restarting, Faulted or Unavailable; and why when not ready.</summary>
public sealed record DeploymentEngineStatus(string Kind, string State, string Detail);

/// <summary>Something the scheduler did: loaded, unloaded (idle), evicted, refused, load_failed.</summary>
public sealed record SchedulerEvent(DateTimeOffset At, string Kind, string DeploymentId, string Detail);
