namespace Nlps.Models.Estimation;

/// <summary>
/// Bytes one model needs on one device, by cause. Weights, KV and LoRA are exact; workspace and communication come
/// from <see cref="EstimatorOptions"/>; the reserve is the planner's per-device margin, counted once per device.
/// </summary>
public sealed record MemoryBreakdown(
    long WeightBytes,
    long KvCacheBytes,
    long WorkspaceBytes,
    long CommunicationBytes,
    long LoraBytes)
{
    public long TotalBytes => checked(WeightBytes + KvCacheBytes + WorkspaceBytes + CommunicationBytes + LoraBytes);
}
