using System.Numerics.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>LayerNorm over one row: (x − mean) / √(var + eps) · weight + bias, in f32 (variance with the mean removed first).</summary>
internal static unsafe class LayerNorm
{
    public static void Apply(float* row, int n, float[] weight, float[] bias, float eps)
    {
        var x = new Span<float>(row, n);
        float mean = TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, x);
        float variance = TensorPrimitives.SumOfSquares(x) / n;
        float scale = 1f / MathF.Sqrt(variance + eps);
        TensorPrimitives.Multiply(x, scale, x);
        TensorPrimitives.FusedMultiplyAdd(x, weight, bias, x);
    }

    /// <summary>Post-LN residual: row = LayerNorm(row + residual).</summary>
    public static void AddApply(float* row, float* residual, int n, float[] weight, float[] bias, float eps)
    {
        var x = new Span<float>(row, n);
        TensorPrimitives.Add(x, new ReadOnlySpan<float>(residual, n), x);
        Apply(row, n, weight, bias, eps);
    }
}
