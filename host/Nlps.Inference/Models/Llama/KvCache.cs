using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// Keys and values of one sequence for every layer, f32. Layout: [layer][kvHead][position][headDim], so the keys one
/// attention head reads are contiguous in time. <see cref="Count"/> positions are filled; the model appends.
/// Not thread-safe: one cache per sequence, used by one generation at a time.
/// </summary>
public sealed unsafe class KvCache : IDisposable
{
    private readonly NativeBuffer<float> _keys;
    private readonly NativeBuffer<float> _values;
    private readonly int _kvHeads;
    private readonly int _headDim;

    internal KvCache(LlamaConfig config, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Config = config;
        Capacity = capacity;
        _kvHeads = config.KvHeads;
        _headDim = config.HeadDim;
        long length = (long)config.Layers * config.KvHeads * capacity * config.HeadDim;
        _keys = new NativeBuffer<float>(length);
        _values = new NativeBuffer<float>(length);
    }

    /// <summary>Positions this cache can hold.</summary>
    public int Capacity { get; }

    /// <summary>Positions filled so far; the next token goes to position <c>Count</c>.</summary>
    public int Count { get; internal set; }

    /// <summary>Bytes of memory the cache holds.</summary>
    public long Bytes => (_keys.Length + _values.Length) * sizeof(float);

    internal LlamaConfig Config { get; }

    /// <summary>Forgets every position after the first <paramref name="count"/> (reuse of a shared prompt prefix).</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        Count = count;
    }

    public void Clear() => Count = 0;

    public void Dispose()
    {
        _keys.Dispose();
        _values.Dispose();
    }

    internal float* Keys(int layer, int kvHead) => _keys.Pointer + Offset(layer, kvHead);

    internal float* Values(int layer, int kvHead) => _values.Pointer + Offset(layer, kvHead);

    private long Offset(int layer, int kvHead) => (((long)layer * _kvHeads) + kvHead) * Capacity * _headDim;
}
