using System.Numerics.Tensors;

namespace Nlps.Inference.Models.Lora;

/// <summary>
/// One adapted projection: A [Rank, In] and B [Out, Rank], row-major f32, and the scale (alpha / r, or alpha / √r with
/// rsLoRA). Applied unmerged as y += scale·B·(A·x), which costs Rank·(In + Out) multiply-adds per token instead of
/// touching the In·Out base weights, or merged into the base weights once at load.
/// </summary>
internal sealed class LoraMatrix(float[] a, float[] b, int rank, int inDim, int outDim, float scale)
{
    public int Rank { get; } = rank;

    public int In { get; } = inDim;

    public int Out { get; } = outDim;

    public long ByteSize => ((long)a.Length + b.Length) * sizeof(float);

    /// <summary>y[0..Out) += scale · B · (A · x[0..In)); allocates nothing.</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        Span<float> t = Rank <= 256 ? stackalloc float[Rank] : new float[Rank];
        for (int j = 0; j < Rank; j++)
        {
            t[j] = TensorPrimitives.Dot(a.AsSpan(j * In, In), x[..In]) * scale;
        }

        for (int o = 0; o < Out; o++)
        {
            y[o] += TensorPrimitives.Dot(b.AsSpan(o * Rank, Rank), t);
        }
    }

    /// <summary>W += scale · B · A for the row-major [Out, In] f32 matrix <paramref name="w"/>.</summary>
    public void MergeInto(Span<float> w)
    {
        for (int o = 0; o < Out; o++)
        {
            Span<float> row = w.Slice(o * In, In);
            for (int j = 0; j < Rank; j++)
            {
                TensorPrimitives.MultiplyAdd(a.AsSpan(j * In, In), scale * b[(o * Rank) + j], row, row);
            }
        }
    }
}
