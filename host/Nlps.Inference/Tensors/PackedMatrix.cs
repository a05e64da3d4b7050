using Nlps.Inference.Kernels;

namespace Nlps.Inference.Tensors;

/// <summary>
/// A weight matrix W [Rows, Cols] (y = x·Wᵀ) in <see cref="PackedGemm"/>'s f32 panel layout, with its bias padded to
/// whole panels (zeros when the checkpoint has none). Built once at load from a row-major f32 matrix.
/// </summary>
internal sealed unsafe class PackedMatrix : IDisposable
{
    private readonly NativeBuffer<float> _panels;
    private readonly NativeBuffer<float> _bias;

    public PackedMatrix(WeightMatrix source, ReadOnlySpan<float> bias)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Type != ElementType.F32)
        {
            throw new ArgumentException("Packing needs an f32 matrix.", nameof(source));
        }

        Rows = source.Rows;
        Cols = source.Cols;
        int padded = PackedGemm.Panels(Rows) * PackedGemm.Width;
        _panels = new NativeBuffer<float>((long)padded * Cols);
        _bias = new NativeBuffer<float>(padded);
        PackedGemm.PackRows(source.F32, Rows, Cols, Cols, _panels.Pointer);
        _bias.Span.Clear();
        bias.CopyTo(_bias.Span);
    }

    public int Rows { get; }

    public int Cols { get; }

    public int Panels => PackedGemm.Panels(Rows);

    public long ByteSize => (_panels.Length + _bias.Length) * sizeof(float);

    public float* Data => _panels.Pointer;

    public float* Bias => _bias.Pointer;

    public void Dispose()
    {
        _panels.Dispose();
        _bias.Dispose();
    }
}
