namespace Nlps.Models.Estimation;

/// <summary>Element type of the KV cache.</summary>
public enum KvCacheType
{
    /// <summary>bf16 or fp16: 2 bytes per element (the default).</summary>
    Bf16,

    /// <summary>1 byte per element: half of bf16.</summary>
    Fp8,

    Fp32,
}
