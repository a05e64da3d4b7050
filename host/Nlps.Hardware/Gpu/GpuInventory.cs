namespace Nlps.Hardware.Gpu;

/// <summary>The GPUs found, the driver and CUDA versions, and, when detection failed, why.</summary>
/// <param name="Problem">A one-line reason when a source was present but failed (e.g. the driver is not loaded); null when fine.</param>
public sealed record GpuInventory(
    GpuSource Source,
    IReadOnlyList<GpuDevice> Devices,
    string? DriverVersion,
    string? CudaVersion,
    string? Problem)
{
    public static GpuInventory Empty(string? problem) => new(GpuSource.None, [], null, null, problem);
}
