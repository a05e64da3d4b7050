using System.Numerics.Tensors;
using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// Causal grouped-query attention for a set of rows. Row r is the token at <c>positions[r]</c> of <c>caches[r]</c> and
/// attends to positions 0..positions[r] of that cache, whose keys and values for this layer are already written. Query
/// head h reads kv head h / (heads / kvHeads). Layout: q rows <c>QStride</c> apart with heads contiguous (headDim
/// each); output rows <c>OutStride</c> apart, same head order. With 512-bit vectors the work items are groups of up to
/// 16 queries that read the same kv head of the same cache (a GQA group, and consecutive rows of a prompt chunk), run
/// by <see cref="LaneAttention"/>; without, one item per (row, query head).
/// </summary>
internal sealed unsafe class AttentionWork : IParallelWork, IDisposable
{
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _group;
    private readonly int _headDim;
    private readonly float _scale;
    private readonly float[][] _scores;
    private readonly NativeBuffer<float>[] _laneScratch;
    private readonly List<QueryGroup> _groups = [];
    private readonly bool _lanes;
    private KvCache[] _caches = [];
    private int[] _positions = [];
    private int _layer;
    private float* _q;
    private int _qStride;
    private float* _out;
    private int _outStride;

    /// <summary><paramref name="lanes"/>: run on <see cref="LaneAttention"/> (needs <see cref="LaneAttention.IsSupported"/>).</summary>
    public AttentionWork(LlamaConfig config, int participants, bool lanes)
    {
        if (lanes && !LaneAttention.IsSupported)
        {
            throw new PlatformNotSupportedException("lane attention needs 512-bit vectors");
        }

        _lanes = lanes;
        _heads = config.Heads;
        _kvHeads = config.KvHeads;
        _group = config.Heads / config.KvHeads;
        _headDim = config.HeadDim;
        _scale = 1f / MathF.Sqrt(config.HeadDim);
        _scores = new float[participants][];
        _laneScratch = new NativeBuffer<float>[participants];
        for (int i = 0; i < participants; i++)
        {
            _scores[i] = [];
            _laneScratch[i] = new NativeBuffer<float>(2L * _headDim * LaneAttention.Lanes);
        }
    }

    /// <summary>Makes sure every thread has score room for a cache of <paramref name="capacity"/> positions (allocates only when it grows).</summary>
    public void Reserve(int capacity)
    {
        int needed = _lanes ? capacity * LaneAttention.Lanes : capacity;
        for (int i = 0; i < _scores.Length; i++)
        {
            if (_scores[i].Length < needed)
            {
                _scores[i] = GC.AllocateUninitializedArray<float>(needed, pinned: true);
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
        if (_lanes)
        {
            GroupQueries(rows);
            pool.Run(this, _groups.Count, 1);
        }
        else
        {
            pool.Run(this, rows * _heads, 1);
        }

        _caches = [];
    }

    public void Execute(int start, int end, int participant)
    {
        for (int item = start; item < end; item++)
        {
            if (_lanes)
            {
                RunGroup(_groups[item], participant);
            }
            else
            {
                RunHead(item / _heads, item % _heads, _scores[participant]);
            }
        }
    }

    public void Dispose()
    {
        foreach (NativeBuffer<float> scratch in _laneScratch)
        {
            scratch.Dispose();
        }
    }

    // Consecutive rows of one cache at consecutive positions share keys; per kv head their queries (row by row, the
    // group's heads within a row) are cut into groups of 16.
    private void GroupQueries(int rows)
    {
        _groups.Clear();
        for (int first = 0, next; first < rows; first = next)
        {
            next = first + 1;
            while (next < rows && ReferenceEquals(_caches[next], _caches[first]) && _positions[next] == _positions[next - 1] + 1)
            {
                next++;
            }

            int queries = (next - first) * _group;
            for (int kvHead = 0; kvHead < _kvHeads; kvHead++)
            {
                for (int i = 0; i < queries; i += LaneAttention.Lanes)
                {
                    _groups.Add(new QueryGroup(kvHead, first, i, Math.Min(LaneAttention.Lanes, queries - i)));
                }
            }
        }
    }

    private void RunGroup(QueryGroup group, int participant)
    {
        float* queries = _laneScratch[participant].Pointer;
        float* transposed = queries + ((long)_headDim * LaneAttention.Lanes);
        int* limits = stackalloc int[LaneAttention.Lanes];
        float** outputs = stackalloc float*[LaneAttention.Lanes];
        new Span<float>(queries, _headDim * LaneAttention.Lanes).Clear();
        int length = 0;
        for (int j = 0; j < LaneAttention.Lanes; j++)
        {
            if (j >= group.Count)
            {
                limits[j] = int.MaxValue;
                continue;
            }

            int row = group.FirstRow + ((group.FirstQuery + j) / _group);
            int head = (group.KvHead * _group) + ((group.FirstQuery + j) % _group);
            float* q = _q + ((long)row * _qStride) + (head * _headDim);
            for (int d = 0; d < _headDim; d++)
            {
                queries[(d * LaneAttention.Lanes) + j] = q[d] * _scale;
            }

            limits[j] = _positions[row];
            length = Math.Max(length, _positions[row] + 1);
            outputs[j] = _out + ((long)row * _outStride) + (head * _headDim);
        }

        KvCache cache = _caches[group.FirstRow];
        fixed (float* scores = _scores[participant])
        {
            LaneAttention.Run(queries, limits, group.Count, length, cache.Keys(_layer, group.KvHead), cache.Values(_layer, group.KvHead), _headDim, scores, transposed, outputs);
        }
    }

    private void RunHead(int row, int head, float[] scores)
    {
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

    // Queries FirstQuery .. FirstQuery + Count of a run of rows starting at FirstRow, numbered row by row (the kv head's
    // group of query heads within a row).
    private readonly record struct QueryGroup(int KvHead, int FirstRow, int FirstQuery, int Count);
}
