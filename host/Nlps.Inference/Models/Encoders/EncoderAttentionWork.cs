using System.Numerics.Tensors;
using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Encoders;

/// <summary>
/// Bidirectional self-attention for a batch of sequences packed back to back (no padding, so no mask is needed: a
/// sequence attends to exactly its own tokens). One item per (sequence, head): K is packed as GEMM panels, QKᵀ and
/// P·V run through <see cref="PackedGemm"/>. Layout: qkv rows are [q | k | v] of width 3H per token; the result
/// row is H wide, head h at columns h·d.
/// </summary>
internal sealed unsafe class EncoderAttentionWork : IParallelWork, IDisposable
{
    private readonly int _hidden;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly float _scale;
    private readonly NativeBuffer<float>[] _packedKeys;
    private readonly NativeBuffer<float>[] _packedValues;
    private readonly NativeBuffer<float>[] _scores;
    private float* _qkv;
    private float* _output;
    private int[] _starts = [];
    private int[] _lengths = [];

    public EncoderAttentionWork(EncoderConfig config, int participants, int maxTokens)
    {
        _hidden = config.HiddenSize;
        _heads = config.Heads;
        _headDim = config.HeadDim;
        _scale = 1f / MathF.Sqrt(_headDim);
        int paddedTokens = PackedGemm.Panels(maxTokens) * PackedGemm.Width;
        int paddedDim = PackedGemm.Panels(_headDim) * PackedGemm.Width;
        _packedKeys = [.. Enumerable.Range(0, participants).Select(_ => new NativeBuffer<float>((long)paddedTokens * _headDim))];
        _packedValues = [.. Enumerable.Range(0, participants).Select(_ => new NativeBuffer<float>((long)paddedDim * maxTokens))];
        _scores = [.. Enumerable.Range(0, participants).Select(_ => new NativeBuffer<float>((long)maxTokens * maxTokens))];
    }

    public void Run(KernelPool pool, float* qkv, float* output, int[] starts, int[] lengths)
    {
        _qkv = qkv;
        _output = output;
        _starts = starts;
        _lengths = lengths;
        pool.Run(this, starts.Length * _heads, 1);
    }

    public void Execute(int start, int end, int participant)
    {
        int width = 3 * _hidden;
        float* keys = _packedKeys[participant].Pointer;
        float* values = _packedValues[participant].Pointer;
        float* scores = _scores[participant].Pointer;
        for (int item = start; item < end; item++)
        {
            int s = item / _heads;
            int h = item % _heads;
            int n = _lengths[s];
            float* q = _qkv + ((long)_starts[s] * width) + (h * _headDim);
            PackedGemm.PackRows(q + _hidden, n, _headDim, width, keys);
            PackedGemm.Multiply(keys, n, _headDim, null, q, width, n, scores, n, 0, PackedGemm.Panels(n));
            for (int i = 0; i < n; i++)
            {
                var row = new Span<float>(scores + ((long)i * n), n);
                TensorPrimitives.Multiply(row, _scale, row);
                Softmax.InPlace(row); // max-subtracted: TensorPrimitives.SoftMax overflows on scores above ~88
            }

            PackedGemm.PackColumns(q + (2 * _hidden), _headDim, n, width, values);
            float* o = _output + ((long)_starts[s] * _hidden) + (h * _headDim);
            PackedGemm.Multiply(values, _headDim, n, null, scores, n, n, o, _hidden, 0, PackedGemm.Panels(_headDim));
        }
    }

    public void Dispose()
    {
        foreach (var buffer in _packedKeys.Concat(_packedValues).Concat(_scores))
        {
            buffer.Dispose();
        }
    }
}
