using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// One decoder row's self-attention keys and values: per layer, <see cref="Capacity"/> positions of d floats each
/// (layer l's position j at l·Capacity·d + j·d). Beam search copies a parent beam's cache into its children.
/// </summary>
internal sealed unsafe class BartSelfCache : IDisposable
{
    private readonly int _layers;
    private readonly int _width;
    private readonly NativeBuffer<float> _keys;
    private readonly NativeBuffer<float> _values;

    public BartSelfCache(int layers, int capacity, int d)
    {
        _layers = layers;
        _width = d;
        Capacity = capacity;
        _keys = new NativeBuffer<float>((long)layers * capacity * d);
        _values = new NativeBuffer<float>((long)layers * capacity * d);
    }

    public int Capacity { get; }

    /// <summary>Positions filled.</summary>
    public int Length { get; set; }

    public float* Keys(int layer) => _keys.Pointer + ((long)layer * Capacity * _width);

    public float* Values(int layer) => _values.Pointer + ((long)layer * Capacity * _width);

    /// <summary>Makes this cache a copy of <paramref name="other"/>'s filled positions.</summary>
    public void CopyFrom(BartSelfCache other)
    {
        long bytes = (long)other.Length * _width * sizeof(float);
        for (int l = 0; l < _layers; l++)
        {
            Buffer.MemoryCopy(other.Keys(l), Keys(l), bytes, bytes);
            Buffer.MemoryCopy(other.Values(l), Values(l), bytes, bytes);
        }

        Length = other.Length;
    }

    public void Dispose()
    {
        _keys.Dispose();
        _values.Dispose();
    }
}
