using System.Numerics.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>gate ← silu(gate) ⊙ up = gate·sigmoid(gate)·up, element-wise over contiguous f32 rows of equal length.</summary>
internal static class SwiGlu
{
    public static void Apply(Span<float> gate, ReadOnlySpan<float> up, Span<float> scratch)
    {
        TensorPrimitives.Sigmoid(gate, scratch);
        TensorPrimitives.Multiply(gate, scratch, gate);
        TensorPrimitives.Multiply(gate, up, gate);
    }
}
