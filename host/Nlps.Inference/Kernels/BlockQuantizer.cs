using System.Numerics.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Quantizes f32 rows to int8 in blocks of 32, Q8_0-style: scale d = max|x| / 127 per block, q = round(x / d) (half away
/// from zero, as ggml's <c>quantize_row_q8_0_ref</c>). Used for weights at load and for activations per matrix product.
/// </summary>
internal static class BlockQuantizer
{
    /// <summary>Quantizes <paramref name="values"/> (a multiple of 32 long) into <paramref name="quants"/> and one scale per block.</summary>
    public static void Quantize(ReadOnlySpan<float> values, Span<sbyte> quants, Span<float> scales, Span<float> scratch)
    {
        int blocks = values.Length / QuantizedDot.Block;
        for (int b = 0; b < blocks; b++)
        {
            ReadOnlySpan<float> block = values.Slice(b * QuantizedDot.Block, QuantizedDot.Block);
            float amax = MathF.Abs(TensorPrimitives.MaxMagnitude(block));
            float d = amax / 127f;
            scales[b] = d;
            Span<float> scaled = scratch.Slice(b * QuantizedDot.Block, QuantizedDot.Block);
            TensorPrimitives.Multiply(block, d == 0 ? 0f : 1f / d, scaled);
        }

        Span<float> all = scratch[..values.Length];
        // |x| / d ≤ 127 by construction, so the rounded values fit sbyte.
        TensorPrimitives.Round(all, MidpointRounding.AwayFromZero, all);
        TensorPrimitives.ConvertTruncating<float, sbyte>(all, quants);
    }
}
