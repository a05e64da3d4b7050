using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// One source's cross-attention keys and values for every decoder layer, computed once from the encoder output and
/// shared by all beams of that source: layer l's source token j is the row at (l·Tokens + j)·2d, key in its first d
/// floats and value in the next d.
/// </summary>
internal sealed unsafe class BartCrossCache : IDisposable
{
    private readonly int _width;
    private readonly NativeBuffer<float> _keyValues;

    public BartCrossCache(int layers, int tokens, int d)
    {
        _width = d;
        Tokens = tokens;
        _keyValues = new NativeBuffer<float>((long)layers * tokens * 2 * d);
    }

    public int Tokens { get; }

    public float* Keys(int layer) => _keyValues.Pointer + ((long)layer * Tokens * 2 * _width);

    public float* Values(int layer) => Keys(layer) + _width;

    public void Dispose() => _keyValues.Dispose();
}
