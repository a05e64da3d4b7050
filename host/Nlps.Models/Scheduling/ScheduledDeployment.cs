using Nlps.Models.Planning;

namespace Nlps.Models.Scheduling;

/// <summary>A deployment the scheduler may load: where it goes and what it takes there, from the planner's placement.</summary>
/// <param name="BytesPerDevice">Bytes held on each device while loaded (weights, KV, workspace, communication, LoRA).</param>
/// <param name="KeepAlive">Idle time before it is unloaded; null for the scheduler's default, <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
/// <param name="MaxConcurrency">Requests it serves at once; more wait in a bounded queue.</param>
public sealed record ScheduledDeployment(
    string Id,
    string ModelId,
    IReadOnlyDictionary<string, long> BytesPerDevice,
    bool Pinned = false,
    TimeSpan? KeepAlive = null,
    int MaxConcurrency = 4)
{
    /// <summary>The deployment as the planner placed it: the same bytes on each of its devices.</summary>
    public static ScheduledDeployment FromPlacement(DeploymentRequest request, Placement placement, string modelId, TimeSpan? keepAlive = null, int maxConcurrency = 4)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(placement);
        return new ScheduledDeployment(
            request.Id,
            modelId,
            placement.Devices.ToDictionary(d => d, _ => placement.PerDevice.TotalBytes, StringComparer.Ordinal),
            request.Pinned,
            keepAlive,
            maxConcurrency);
    }
}
