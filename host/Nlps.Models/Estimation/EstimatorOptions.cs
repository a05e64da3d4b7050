namespace Nlps.Models.Estimation;

/// <summary>
/// The parts that are not exact: seed values from budget.md §4 (GPUStack's 2 GiB / 512 MiB, vLLM's 8B log of
/// 2.13 GiB non-KV plus 0.26–0.58 GiB CUDA graphs). Meant to be replaced by measured values per model and GPU.
/// </summary>
public sealed class EstimatorOptions
{
    private const long MiB = 1024 * 1024;

    /// <summary>Activations, CUDA graphs and allocator slack per decoder LLM per GPU. Default 2.5 GiB.</summary>
    public long DecoderWorkspaceBytes { get; set; } = 2560 * MiB;

    /// <summary>The same for encoders and seq2seq models under <see cref="SmallModelParameters"/>. Default 512 MiB.</summary>
    public long SmallModelWorkspaceBytes { get; set; } = 512 * MiB;

    /// <summary>Below this many parameters a non-decoder model counts as small. Default 1 B.</summary>
    public long SmallModelParameters { get; set; } = 1_000_000_000;

    /// <summary>NCCL buffers per GPU when tensor parallelism is above 1. Default 512 MiB.</summary>
    public long TensorParallelCommunicationBytes { get; set; } = 512 * MiB;

    /// <summary>Activations and scratch for the built-in CPU engine, in RAM. Default 512 MiB.</summary>
    public long CpuWorkspaceBytes { get; set; } = 512 * MiB;

    /// <summary>Tokens per KV-cache block; each sequence's tokens are rounded up to whole blocks. Default 16.</summary>
    public int KvBlockTokens { get; set; } = 16;
}
