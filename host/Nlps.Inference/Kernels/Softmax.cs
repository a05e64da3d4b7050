using System.Numerics.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>In-place softmax over one contiguous f32 row, max-subtracted so large logits cannot overflow.</summary>
internal static class Softmax
{
    public static void InPlace(Span<float> values)
    {
        float max = TensorPrimitives.Max(values);
        TensorPrimitives.Subtract(values, max, values);
        TensorPrimitives.Exp(values, values);
        float sum = TensorPrimitives.Sum(values);
        TensorPrimitives.Divide(values, sum, values);
    }
}
