namespace Nlps.Hardware.Gpu;

/// <summary>Where the GPU list came from.</summary>
public enum GpuSource
{
    /// <summary>No NVIDIA tooling answered; the list is empty.</summary>
    None,

    /// <summary>libnvidia-ml.so.1 through P/Invoke.</summary>
    Nvml,

    /// <summary>nvidia-smi's CSV query output.</summary>
    NvidiaSmi,
}
