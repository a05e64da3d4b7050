using Nlps.Inference.Tensors;

namespace Nlps.Inference.Engine;

/// <summary>How the built-in CPU engine loads and runs a model.</summary>
public sealed record CpuEngineOptions
{
    /// <summary>How matrix weights are stored in memory. Default <see cref="WeightFormat.Auto"/>: the checkpoint's own precision.</summary>
    public WeightFormat WeightFormat { get; init; } = WeightFormat.Auto;

    /// <summary>Threads that run kernels, the caller included. Default 0: one per logical processor.</summary>
    public int Threads { get; init; }

    /// <summary>Most positions one sequence's KV cache holds. Default 0: the model's max_position_embeddings, capped at 8192.</summary>
    public int MaxContextTokens { get; init; }

    /// <summary>
    /// Tokens processed per forward pass during prefill (bounds scratch memory, about 90 KB per token for a 1B model).
    /// Default 128: each chunk reads every weight once, so longer chunks read them less often.
    /// </summary>
    public int PrefillChunkTokens { get; init; } = 128;

    /// <summary>Most sequences one model decodes together (each step reads the weights once for all). Default 8.</summary>
    public int MaxRunningSequences { get; init; } = 8;

    /// <summary>Most sequences waiting for a place; one more is refused with <see cref="EngineBusyException"/>. Default 16.</summary>
    public int MaxQueuedSequences { get; init; } = 16;

    /// <summary>
    /// PEFT LoRA adapter folders by name, loaded beside the weights and applied unmerged to the generations that ask
    /// for one (<see cref="CpuLanguageModel.WithAdapter"/>); the base weights stay shared. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Adapters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// A PEFT LoRA adapter folder merged into the weights at load (W + scale·B·A, before the conversion to
    /// <see cref="WeightFormat"/>), so every generation is the adapted model at no cost per token. Default none.
    /// </summary>
    public string? MergedAdapter { get; init; }

    /// <summary>
    /// Rows (chunk tokens or batched sequences) from which a matrix product runs as a register-tiled GEMM rather than
    /// as matvecs over four rows at a time. Default 16: below that the GEMM's 32-token panels are mostly padding.
    /// Internal so tests and the bench can force either path.
    /// </summary>
    internal int GemmMinRows { get; init; } = 16;

    /// <summary>
    /// Rows from which a product with int8 or int4 weights runs on the integer (AVX-VNNI) GEMM instead. Default 16.
    /// Internal so tests and the bench can force either path.
    /// </summary>
    internal int IntegerGemmMinRows { get; init; } = 16;

    /// <summary>
    /// Rows (batched sequences) from which a product with int8 or int4 weights below <see cref="IntegerGemmMinRows"/> runs
    /// with the tokens along the vector lanes instead of as matvecs over four rows at a time. Default 5: at 4 and below
    /// the 8 lanes are half empty and the matvec is as fast. Internal so tests and the bench can force either path.
    /// </summary>
    internal int TokenLaneMinRows { get; init; } = 5;

    internal int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxContextTokens, nameof(MaxContextTokens));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PrefillChunkTokens, nameof(PrefillChunkTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(GemmMinRows, 2, nameof(GemmMinRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(IntegerGemmMinRows, 2, nameof(IntegerGemmMinRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(TokenLaneMinRows, 2, nameof(TokenLaneMinRows));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRunningSequences, nameof(MaxRunningSequences));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxQueuedSequences, nameof(MaxQueuedSequences));
        if (!Enum.IsDefined(WeightFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightFormat), WeightFormat, "unknown weight format");
        }
    }
}
