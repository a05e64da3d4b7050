using System.Numerics.Tensors;
using Nlps.Inference.Kernels;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// Causal grouped-query attention for a set of rows, parallel over (row, query head). Row r is the token at
/// <c>positions[r]</c> of <c>caches[r]</c> and attends to positions 0..positions[r] of that cache, whose keys and
/// values for this layer are already written. Query head h reads kv head h / (heads / kvHeads). Layout: q rows
/// <c>QStride</c> apart with heads contiguous (headDim each); output rows <c>OutStride</c> apart, same head order.
/// </summary>
internal sealed unsafe class AttentionWork : IParallelWork
{
    private readonly int _heads;
    private readonly int _group;
    private readonly int _headDim;
    private readonly float _scale;
    private float[][] _scores;
    private KvCache[] _caches = [];
    private int[] _positions = [];
    private int _layer;
    private float* _q;
    private int _qStride;
    private float* _out;
    private int _outStride;

    public AttentionWork(LlamaConfig config, int participants)
    {
        _heads = config.Heads;
        _group = config.Heads / config.KvHeads;
        _headDim = config.HeadDim;
        _scale = 1f / MathF.Sqrt(config.HeadDim);
        _scores = new float[participants][];
        for (int i = 0; i < participants; i++)
        {
            _scores[i] = [];
        }
    }

    /// <summary>Makes sure every thread has score room for a cache of <paramref name="capacity"/> positions (allocates only when it grows).</summary>
    public void Reserve(int capacity)
    {
        for (int i = 0; i < _scores.Length; i++)
        {
            if (_scores[i].Length < capacity)
            {
                _scores[i] = new float[capacity];
            }
        }
    }

    public void Run(KernelPool pool, int layer, KvCache[] caches, int[] positions, int rows, float* q, int qStride, float* output, int outStride)
    {
        _layer = layer;
        _caches = caches;
        _positions = positions;
        _q = q;
        _qStride = qStride;
        _out = output;
        _outStride = outStride;
        pool.Run(this, rows * _heads, 1);
        _caches = [];
    }

    public void Execute(int start, int end, int participant)
    {
        float[] scores = _scores[participant];
        for (int item = start; item < end; item++)
        {
            int row = item / _heads;
            int head = item % _heads;
            int kvHead = head / _group;
            KvCache cache = _caches[row];
            int length = _positions[row] + 1;
            float* q = _q + ((long)row * _qStride) + (head * _headDim);
            float* keys = cache.Keys(_layer, kvHead);
            float* values = cache.Values(_layer, kvHead);

            for (int t = 0; t < length; t++)
            {
                scores[t] = Dot.F32(q, keys + ((long)t * _headDim), _headDim) * _scale;
            }

            Span<float> weights = scores.AsSpan(0, length);
            Softmax.InPlace(weights);

            var output = new Span<float>(_out + ((long)row * _outStride) + (head * _headDim), _headDim);
            output.Clear();
            for (int t = 0; t < length; t++)
            {
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(values + ((long)t * _headDim), _headDim), weights[t], output, output);
            }
        }
    }
}
