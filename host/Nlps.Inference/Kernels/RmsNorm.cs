using System.Numerics.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>y = x / sqrt(mean(x²) + eps) ⊙ weight, over one contiguous f32 row; computed in f32 as Llama does.</summary>
internal static class RmsNorm
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float epsilon, Span<float> y)
    {
        float sumSquares = TensorPrimitives.SumOfSquares(x);
        float scale = 1f / MathF.Sqrt(sumSquares / x.Length + epsilon);
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Multiply(y, weight, y);
    }
}
