namespace Nlps.Hardware.Gpu;

/// <summary>One physical GPU. Values a driver does not report ("[N/A]", "[Not Supported]") are null.</summary>
/// <param name="Index">The driver's index (CUDA_VISIBLE_DEVICES order under PCI bus ordering).</param>
/// <param name="FreeBytes">Free memory: the figure planning must use, since the driver reserves part of the total.</param>
/// <param name="ComputeCapability">"major.minor", e.g. "8.9" for Ada, "9.0" for Hopper.</param>
/// <param name="MigInstances">MIG slices when MIG mode is on; then only these can run work.</param>
public sealed record GpuDevice(
    int Index,
    string Name,
    string Uuid,
    long TotalBytes,
    long? UsedBytes,
    long? FreeBytes,
    string? ComputeCapability,
    string? PciBusId,
    int? UtilizationPercent,
    int? TemperatureCelsius,
    double? PowerDrawWatts,
    bool MigEnabled,
    IReadOnlyList<MigInstance> MigInstances);
