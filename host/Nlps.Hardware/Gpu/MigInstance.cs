namespace Nlps.Hardware.Gpu;

/// <summary>A MIG device: a GPU instance / compute instance pair with its own memory.</summary>
public sealed record MigInstance(int GpuIndex, int GpuInstanceId, int ComputeInstanceId, int MigDeviceIndex, long TotalBytes, long UsedBytes)
{
    public long FreeBytes => TotalBytes - UsedBytes;
}
