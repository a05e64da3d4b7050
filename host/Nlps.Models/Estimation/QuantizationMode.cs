namespace Nlps.Models.Estimation;

/// <summary>How linear-layer weights are stored on the device. Embeddings, norms and biases stay 16-bit in every mode but Fp32.</summary>
public enum QuantizationMode
{
    Fp32,
    Bf16,
    Fp16,

    /// <summary>FP8 weights with one fp32 scale per tensor: 1 B/weight + 4 B.</summary>
    Fp8,

    /// <summary>Int8 per output channel: 1 B/weight + a bf16 scale per output row.</summary>
    Int8,

    /// <summary>4-bit, group size 128 (AWQ-style): 0.5 B/weight + a bf16 scale and a 4-bit zero point per group = 0.51953125 B/weight.</summary>
    Int4,
}
