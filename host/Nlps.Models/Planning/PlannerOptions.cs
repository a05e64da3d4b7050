using Nlps.Models.Estimation;

namespace Nlps.Models.Planning;

/// <summary>Margins the planner keeps. Configuration section "Planner".</summary>
public sealed class PlannerOptions
{
    /// <summary>Bytes kept free on every GPU and MIG slice (CUDA context, fragmentation, the unforeseen). Default 1 GiB.</summary>
    public long GpuReserveBytes { get; set; } = 1L << 30;

    /// <summary>RAM kept free for the OS and nlpsd itself before the CPU engine gets any. Default 8 GiB.</summary>
    public long CpuReserveBytes { get; set; } = 8L << 30;

    public EstimatorOptions Estimator { get; set; } = new();
}
