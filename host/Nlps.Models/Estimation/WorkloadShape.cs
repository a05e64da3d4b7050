namespace Nlps.Models.Estimation;

/// <summary>How a model will be served: storage mode, KV type, the longest sequence and how many run at once.</summary>
/// <param name="ExactWeightBytes">
/// The weights' bytes when the engine knows them exactly (the CPU engine's GGUF and int4 layouts, which
/// <see cref="QuantizationMode"/> does not describe); one device only. Null: computed from the mode.
/// </param>
public sealed record WorkloadShape(
    QuantizationMode Quantization,
    int MaxContext,
    int MaxSequences,
    KvCacheType KvCache = KvCacheType.Bf16,
    LoraBudget? Lora = null,
    long? ExactWeightBytes = null);
