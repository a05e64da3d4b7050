using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Activation rows quantized for the integer kernels: int8 blocks of 32 with one f32 scale each
/// (<see cref="BlockQuantizer"/>) and, when asked, −8·Σx per block (<see cref="Int4Dot.Offsets"/>). Layout: values
/// [rows, cols], scales and offsets [rows, cols / 32]. Buffers grow with the largest call and are kept, so
/// steady-state decoding allocates nothing.
/// </summary>
internal sealed unsafe class QuantizedActivations : IDisposable
{
    private NativeBuffer<sbyte>? _values;
    private NativeBuffer<float>? _scales;
    private NativeBuffer<int>? _offsets;
    private float[] _scratch = [];

    public sbyte* Values => _values!.Pointer;

    public float* Scales => _scales!.Pointer;

    public int* Offsets => _offsets!.Pointer;

    /// <summary>Quantizes <paramref name="rows"/> rows of <paramref name="cols"/> f32 (<paramref name="xStride"/> apart).</summary>
    public void Quantize(float* x, int xStride, int rows, int cols, bool offsets)
    {
        int blocks = cols / QuantizedDot.Block;
        long values = (long)rows * cols;
        if (_values is null || _values.Length < values)
        {
            Dispose();
            _values = new NativeBuffer<sbyte>(values);
            _scales = new NativeBuffer<float>((long)rows * blocks);
            _offsets = new NativeBuffer<int>((long)rows * blocks);
        }

        if (_scratch.Length < cols)
        {
            _scratch = new float[cols];
        }

        for (int t = 0; t < rows; t++)
        {
            BlockQuantizer.Quantize(new ReadOnlySpan<float>(x + ((long)t * xStride), cols), _values.Slice((long)t * cols, cols), _scales!.Slice((long)t * blocks, blocks), _scratch);
            if (offsets)
            {
                Int4Dot.Offsets(_values.Slice((long)t * cols, cols), _offsets!.Slice((long)t * blocks, blocks));
            }
        }
    }

    public void Dispose()
    {
        _values?.Dispose();
        _scales?.Dispose();
        _offsets?.Dispose();
    }
}
