using System.Numerics.Tensors;
using Nlps.Inference.Kernels;
using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// BART's decoder, one token per row per step: every row (a beam of some source) feeds its last token, appends its
/// self-attention K/V to its own <see cref="BartSelfCache"/>, attends over its source's <see cref="BartCrossCache"/>,
/// and gets next-token logits. All rows go through each linear layer as one GEMM, so the weights stream once per step:
/// 2 to 5 rows are padded to the GEMM's 6-row tile (the padding rows compute values nobody reads), since below a full
/// tile the kernel would stream the weights once per row. Not thread-safe: the model serialises calls.
/// </summary>
internal sealed unsafe class BartDecoder : IDisposable
{
    private readonly BartConfig _config;
    private readonly BartDecoderWeights _weights;
    private readonly KernelPool _pool;
    private readonly GemmWork _gemm = new();
    private readonly EncoderRowWork _rows = new();
    private readonly DecoderAttentionWork _attention;
    private NativeBuffer<float>? _x;
    private NativeBuffer<float>? _qkv;
    private NativeBuffer<float>? _query;
    private NativeBuffer<float>? _attended;
    private NativeBuffer<float>? _projected;
    private NativeBuffer<float>? _inner;
    private NativeBuffer<float>? _logits;
    private float*[]? _keys;
    private float*[]? _values;
    private int[] _lengths = [];
    private readonly float[] _position;
    private int _capacityRows;

    public BartDecoder(BartConfig config, BartDecoderWeights weights, int threads)
    {
        _config = config;
        _weights = weights;
        _pool = new KernelPool(threads);
        _attention = new DecoderAttentionWork(config.DecoderHeads, config.DModel / config.DecoderHeads, _pool.Participants, config.MaxPositionEmbeddings);
        _position = new float[config.DModel];
    }

    public long WeightBytes => _weights.ByteSize;

    /// <summary>Computes the cross-attention K/V of every layer for one source's encoder states ([tokens, d] rows).</summary>
    public BartCrossCache CrossAttend(float* encoded, int tokens)
    {
        int d = _config.DModel;
        var cache = new BartCrossCache(_weights.Layers.Length, tokens, d);
        for (int l = 0; l < _weights.Layers.Length; l++)
        {
            _gemm.Run(_pool, _weights.Layers[l].CrossKeyValue, encoded, d, cache.Keys(l), 2 * d, tokens);
        }

        return cache;
    }

    /// <summary>
    /// One step for tokens.Length rows: row r feeds <paramref name="tokens"/>[r] at position caches[r].Length, attends over
    /// sources[r], and writes its logits (vocab_size floats) at r·vocab_size in <paramref name="logits"/>.
    /// </summary>
    public void Step(ReadOnlySpan<int> tokens, BartSelfCache[] caches, BartCrossCache[] sources, Span<float> logits)
    {
        int n = tokens.Length;
        int d = _config.DModel;
        int f = _config.DecoderFfnDim;
        float eps = (float)_config.LayerNormEps;
        if (caches.Length < n || sources.Length < n || logits.Length < (long)n * _config.VocabSize)
        {
            throw new ArgumentException($"{n} rows need {n} caches, {n} sources and {(long)n * _config.VocabSize} logits");
        }

        int m = n == 1 ? 1 : (n + PackedGemm.TileTokens - 1) / PackedGemm.TileTokens * PackedGemm.TileTokens;
        EnsureCapacity(m);
        Embed(tokens, caches);
        float* x = _x!.Pointer;
        float*[] keys = _keys!;
        float*[] values = _values!;
        int[] lengths = _lengths;
        for (int l = 0; l < _weights.Layers.Length; l++)
        {
            BartDecoderLayer layer = _weights.Layers[l];
            _gemm.Run(_pool, layer.SelfQkv, x, d, _qkv!.Pointer, 3 * d, m);
            for (int r = 0; r < n; r++)
            {
                BartSelfCache cache = caches[r];
                float* row = _qkv.Pointer + ((long)r * 3 * d);
                long at = (long)cache.Length * d;
                new ReadOnlySpan<float>(row, d).CopyTo(new Span<float>(_query!.Pointer + ((long)r * d), d));
                new ReadOnlySpan<float>(row + d, d).CopyTo(new Span<float>(cache.Keys(l) + at, d));
                new ReadOnlySpan<float>(row + (2 * d), d).CopyTo(new Span<float>(cache.Values(l) + at, d));
                keys[r] = cache.Keys(l);
                values[r] = cache.Values(l);
                lengths[r] = cache.Length + 1;
            }

            _attention.Run(_pool, _query!.Pointer, _attended!.Pointer, keys, values, lengths, n, d);
            Residual(layer.SelfOutput, layer.SelfNorm, n, m, eps);

            _gemm.Run(_pool, layer.CrossQuery, x, d, _query.Pointer, d, m);
            for (int r = 0; r < n; r++)
            {
                keys[r] = sources[r].Keys(l);
                values[r] = sources[r].Values(l);
                lengths[r] = sources[r].Tokens;
            }

            _attention.Run(_pool, _query.Pointer, _attended.Pointer, keys, values, lengths, n, 2 * d);
            Residual(layer.CrossOutput, layer.CrossNorm, n, m, eps);

            _gemm.Run(_pool, layer.Up, x, d, _inner!.Pointer, f, m);
            _rows.Gelu(_pool, _inner.Pointer, n, f);
            _gemm.Run(_pool, layer.Down, _inner.Pointer, f, _projected!.Pointer, d, m);
            _rows.AddLayerNorm(_pool, x, _projected.Pointer, n, d, layer.FinalNorm, eps);
        }

        foreach (BartSelfCache cache in caches.AsSpan(0, n))
        {
            cache.Length++;
        }

        _gemm.Run(_pool, _weights.Head, x, d, _logits!.Pointer, _config.VocabSize, m);
        new ReadOnlySpan<float>(_logits.Pointer, n * _config.VocabSize).CopyTo(logits);
    }

    public void Dispose()
    {
        _weights.Dispose();
        _pool.Dispose();
        FreeScratch();
    }

    // x = LayerNorm(x + attended·Woᵀ + b), the post-LN residual after an attention block.
    private void Residual(PackedMatrix output, (float[] Weight, float[] Bias) norm, int n, int m, float eps)
    {
        int d = _config.DModel;
        _gemm.Run(_pool, output, _attended!.Pointer, d, _projected!.Pointer, d, m);
        _rows.AddLayerNorm(_pool, _x!.Pointer, _projected.Pointer, n, d, norm, eps);
    }

    private void Embed(ReadOnlySpan<int> tokens, BartSelfCache[] caches)
    {
        int d = _config.DModel;
        float scale = _config.EmbeddingScale;
        var (weight, bias) = _weights.EmbeddingNorm;
        Span<float> position = _position;
        for (int r = 0; r < tokens.Length; r++)
        {
            if ((uint)tokens[r] >= (uint)_config.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[r], $"Token id outside the vocabulary (0..{_config.VocabSize - 1}).");
            }

            if (caches[r].Length >= caches[r].Capacity)
            {
                throw new InvalidOperationException($"decoder row {r} is full ({caches[r].Capacity} positions)");
            }

            float* row = _x!.Pointer + ((long)r * d);
            var x = new Span<float>(row, d);
            _weights.Words.ReadRow(tokens[r], x);
            TensorPrimitives.Multiply(x, scale, x);
            _weights.Positions.ReadRow(caches[r].Length + BartConfig.PositionOffset, position);
            TensorPrimitives.Add(x, position, x);
            LayerNorm.Apply(row, d, weight, bias, eps: (float)_config.LayerNormEps);
        }
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _capacityRows)
        {
            return;
        }

        FreeScratch();
        long d = _config.DModel;
        _x = new NativeBuffer<float>(rows * d);
        _qkv = new NativeBuffer<float>(rows * 3 * d);
        _query = new NativeBuffer<float>(rows * d);
        _attended = new NativeBuffer<float>(rows * d);
        _projected = new NativeBuffer<float>(rows * d);
        _inner = new NativeBuffer<float>((long)rows * _config.DecoderFfnDim);
        _logits = new NativeBuffer<float>((long)rows * _config.VocabSize);
        _keys = new float*[rows];
        _values = new float*[rows];
        _lengths = new int[rows];
        _capacityRows = rows;
    }

    private void FreeScratch()
    {
        _x?.Dispose();
        _qkv?.Dispose();
        _query?.Dispose();
        _attended?.Dispose();
        _projected?.Dispose();
        _inner?.Dispose();
        _logits?.Dispose();
        _capacityRows = 0;
    }
}
