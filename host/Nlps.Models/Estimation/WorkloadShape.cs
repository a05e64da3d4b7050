namespace Nlps.Models.Estimation;

/// <summary>How a model will be served: storage mode, KV type, the longest sequence and how many run at once.</summary>
public sealed record WorkloadShape(
    QuantizationMode Quantization,
    int MaxContext,
    int MaxSequences,
    KvCacheType KvCache = KvCacheType.Bf16,
    LoraBudget? Lora = null);
