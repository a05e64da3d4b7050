namespace Nlps.Hardware.Gpu;

/// <summary>One way of listing GPUs. Returns null when this way is not available at all (library or tool missing), so the next may be tried.</summary>
public interface IGpuDetector
{
    Task<GpuInventory?> DetectAsync(CancellationToken cancellationToken);
}
