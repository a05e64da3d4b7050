using System.Numerics.Tensors;
using Nlps.Inference.Kernels;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// Attention of one new query per decoder row over that row's cached keys and values, parallel over (row, head). The
/// same work serves self-attention (the row's own cache) and cross-attention (its source's K/V): row r's key j of
/// head h is at Keys[r] + j·Stride + h·headDim, its value at Values[r] + j·Stride + h·headDim. Queries are rows of
/// width d, head h at column h·headDim; so is the output.
/// </summary>
internal sealed unsafe class DecoderAttentionWork : IParallelWork
{
    private readonly int _heads;
    private readonly int _headDim;
    private readonly float _scale;
    private readonly float[][] _scores;
    private float* _queries;
    private float* _output;
    private float*[]? _keys;
    private float*[]? _values;
    private int[] _lengths = [];
    private int _stride;

    public DecoderAttentionWork(int heads, int headDim, int participants, int maxKeys)
    {
        _heads = heads;
        _headDim = headDim;
        _scale = 1f / MathF.Sqrt(headDim);
        _scores = [.. Enumerable.Range(0, participants).Select(_ => new float[maxKeys])];
    }

    public void Run(KernelPool pool, float* queries, float* output, float*[] keys, float*[] values, int[] lengths, int rows, int stride)
    {
        _queries = queries;
        _output = output;
        _keys = keys;
        _values = values;
        _lengths = lengths;
        _stride = stride;
        pool.Run(this, rows * _heads, 1);
    }

    public void Execute(int start, int end, int participant)
    {
        int hd = _headDim;
        int d = _heads * hd;
        Span<float> scores = _scores[participant];
        for (int item = start; item < end; item++)
        {
            int r = item / _heads;
            int offset = (item % _heads) * hd;
            int n = _lengths[r];
            var q = new ReadOnlySpan<float>(_queries + ((long)r * d) + offset, hd);
            float* keys = _keys![r] + offset;
            for (int j = 0; j < n; j++)
            {
                scores[j] = TensorPrimitives.Dot(q, new ReadOnlySpan<float>(keys + ((long)j * _stride), hd)) * _scale;
            }

            Span<float> p = scores[..n];
            Softmax.InPlace(p);
            var o = new Span<float>(_output + ((long)r * d) + offset, hd);
            o.Clear();
            float* values = _values![r] + offset;
            for (int j = 0; j < n; j++)
            {
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(values + ((long)j * _stride), hd), p[j], o, o);
            }
        }
    }
}
