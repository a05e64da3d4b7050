namespace Nlps.Models.Planning;

/// <summary>A place a model can go, with the bytes free there now (free, not total: the driver and other processes hold the rest).</summary>
public sealed record PlanDevice(string Id, string Name, DeviceKind Kind, long AvailableBytes)
{
    public bool CanJoinTensorParallel => Kind == DeviceKind.Gpu;
}
