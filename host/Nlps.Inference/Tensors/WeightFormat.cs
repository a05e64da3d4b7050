namespace Nlps.Inference.Tensors;

/// <summary>How the engine stores matrix weights in memory (vectors such as norms and biases are always f32).</summary>
public enum WeightFormat
{
    /// <summary>
    /// Keep the checkpoint's precision: BF16 stays BF16; F32 stays F32; F16 widens to F32; GGUF Q8_0 loads as int8,
    /// Q4_0 as int4, Q6_K as int8 with a scale per 16 and Q4_K as int4 with a scale and a min per 32 (all exact). A fused
    /// matrix (q/k/v, gate/up) takes its first tensor's layout; parts of another type are requantized into it.
    /// </summary>
    Auto,

    /// <summary>Widen everything to f32 (4 bytes per weight).</summary>
    F32,

    /// <summary>Store bf16 (2 bytes per weight; f32 sources are rounded to nearest even).</summary>
    BF16,

    /// <summary>
    /// Quantize to int8 at load, Q8_0-style: blocks of 32 weights along each row share one scale (amax / 127), kept
    /// as f32 so kernels never convert it: 1.125 bytes per weight (28.1% of f32; Q8_0's f16 scales would be 26.6%).
    /// Activations are quantized the same way per matrix product. Column counts must be multiples of 32.
    /// </summary>
    Int8,

    /// <summary>
    /// Quantize to 4 bits at load, Q4_0-style: blocks of 32 weights share one f32 scale (the signed value of largest
    /// magnitude / −8), 0.625 bytes per weight. GGUF Q4_0 tensors load exactly; Q4_K and Q6_K are dequantized and
    /// requantized. Column counts must be multiples of 32.
    /// </summary>
    Int4,
}
