using Nlps.Inference.Engine;
using Nlps.Inference.Gguf;
using Nlps.Inference.Kernels;
using Nlps.Inference.Models.Lora;
using Nlps.Inference.Safetensors;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// A Llama-family decoder (Llama 2/3.x, Mistral, Qwen2) on the CPU: prefill of a prompt into a <see cref="KvCache"/>,
/// incremental decode, and a batched decode step for several sequences that reads the weights once for all of them.
/// Each sequence may run with its own LoRA adapter (or none), applied unmerged after each adapted projection.
/// Forward passes are serialised (one at a time per model); a decode step allocates nothing.
/// </summary>
public sealed unsafe class LlamaModel : IDisposable
{
    private readonly LlamaWeights _weights;
    private readonly KernelPool _pool;
    private readonly LinearWork _linear = new();
    private readonly PrefillGemmWork _gemm;
    private readonly IntegerGemmWork _integerGemm;
    private readonly TokenLaneWork _tokenLanes = new();
    private readonly int _gemmMinRows;
    private readonly int _integerGemmMinRows;
    private readonly int _tokenLaneMinRows;
    private readonly AttentionWork _attention;
    private readonly double[] _inverseFrequencies;
    private readonly Lock _gate = new();
    private readonly int _chunk;
    private readonly int _qDim;
    private readonly int _kvDim;
    private readonly int _qkvDim;

    // Scratch for up to _chunk rows: row r of a buffer starts at r × (its width).
    private readonly NativeBuffer<float> _x;
    private readonly NativeBuffer<float> _xNorm;
    private readonly NativeBuffer<float> _qkv;
    private readonly NativeBuffer<float> _attended;
    private readonly NativeBuffer<float> _gateUp;
    private readonly NativeBuffer<float> _projected;
    private readonly float[] _sigmoid;
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly KvCache[] _rowCaches;
    private readonly int[] _rowPositions;
    private readonly LoraAdapter?[] _rowAdapters;
    private bool _anyAdapter;

    internal LlamaModel(LlamaConfig config, LlamaWeights weights, CpuEngineOptions options)
    {
        options.Validate();
        Config = config;
        _weights = weights;
        _chunk = options.PrefillChunkTokens;
        MaxContextTokens = options.MaxContextTokens > 0
            ? Math.Min(options.MaxContextTokens, config.MaxPositionEmbeddings)
            : Math.Min(config.MaxPositionEmbeddings, 8192);
        _pool = new KernelPool(options.EffectiveThreads);
        _gemm = new PrefillGemmWork(_pool.Participants);
        _integerGemm = new IntegerGemmWork(_pool.Participants);
        _gemmMinRows = options.GemmMinRows;
        _integerGemmMinRows = options.IntegerGemmMinRows;
        _tokenLaneMinRows = options.TokenLaneMinRows;
        _attention = new AttentionWork(config, _pool.Participants, LaneAttention.IsSupported);
        _inverseFrequencies = RopeFrequencies.Compute(config.HeadDim, config.RopeTheta, config.RopeScaling, config.RopeFrequencyFactors);
        _qDim = config.Heads * config.HeadDim;
        _kvDim = config.KvHeads * config.HeadDim;
        _qkvDim = _qDim + (2 * _kvDim);
        _x = new NativeBuffer<float>((long)_chunk * config.HiddenSize);
        _xNorm = new NativeBuffer<float>((long)_chunk * config.HiddenSize);
        _qkv = new NativeBuffer<float>((long)_chunk * _qkvDim);
        _attended = new NativeBuffer<float>((long)_chunk * _qDim);
        _gateUp = new NativeBuffer<float>((long)_chunk * 2 * config.IntermediateSize);
        _projected = new NativeBuffer<float>((long)_chunk * config.HiddenSize);
        _sigmoid = new float[config.IntermediateSize];
        _cos = new float[config.HeadDim / 2];
        _sin = new float[config.HeadDim / 2];
        _rowCaches = new KvCache[_chunk];
        _rowPositions = new int[_chunk];
        _rowAdapters = new LoraAdapter?[_chunk];
    }

    public LlamaConfig Config { get; }

    /// <summary>Longest sequence (prompt + generated) a cache from <see cref="CreateCache"/> may hold.</summary>
    public int MaxContextTokens { get; }

    /// <summary>Bytes of matrix weights read per decode step (all layers and the output head).</summary>
    public long StreamedBytesPerToken => _weights.StreamedBytesPerToken;

    /// <summary>Threads that run the kernels, the caller included.</summary>
    public int Threads => _pool.Participants;

    /// <summary>
    /// Loads config.json and the safetensors weights of <paramref name="folder"/>, with
    /// <see cref="CpuEngineOptions.MergedAdapter"/> merged into them when set.
    /// </summary>
    public static LlamaModel Load(string folder, CpuEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new CpuEngineOptions();
        options.Validate();
        LlamaConfig config = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(folder);
        IWeightSource source = new SafetensorsWeightSource(checkpoint);
        if (options.MergedAdapter is { } merged)
        {
            source = new LoraMergedWeightSource(source, LoraAdapter.Load(merged, config));
        }

        LlamaWeights weights = LlamaWeights.Load(source, config, options.WeightFormat);
        return new LlamaModel(config, weights, options);
    }

    /// <summary>Loads the PEFT adapter in <paramref name="folder"/> for this model, to be applied unmerged per sequence.</summary>
    public LoraAdapter LoadAdapter(string folder, string? name = null) => LoraAdapter.Load(folder, Config, name);

    /// <summary>Loads a GGUF file (architecture llama or qwen2; tensors F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K).</summary>
    public static LlamaModel LoadGguf(string path, CpuEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using GgufCheckpoint file = GgufCheckpoint.Open(path);
        return FromGguf(file, options);
    }

    internal static LlamaModel FromGguf(GgufCheckpoint file, CpuEngineOptions? options)
    {
        options ??= new CpuEngineOptions();
        options.Validate();
        if (options.MergedAdapter is not null || options.Adapters.Count > 0)
        {
            // GGUF stores q/k rows permuted for llama.cpp's RoPE; adapters are written against Hugging Face's order.
            throw new ModelConfigException($"{file.Path}: LoRA adapters are supported on safetensors models only, not on GGUF files");
        }

        LlamaConfig config = GgufModelConfig.Read(file);
        bool permuted = GgufModelConfig.Architecture(config) == "llama";
        LlamaWeights weights = LlamaWeights.Load(new GgufWeightSource(file, permuted, config.HeadDim), config, options.WeightFormat);
        return new LlamaModel(config, weights, options);
    }

    /// <summary>A cache for one sequence of up to <paramref name="capacity"/> positions (default <see cref="MaxContextTokens"/>).</summary>
    public KvCache CreateCache(int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxContextTokens);
        return new KvCache(Config, capacity == 0 ? MaxContextTokens : capacity);
    }

    /// <summary>Appends <paramref name="tokens"/> to <paramref name="cache"/>; writes the next-token logits of the last one (<c>VocabSize</c> floats).</summary>
    public void Prefill(ReadOnlySpan<int> tokens, KvCache cache, Span<float> logits) => Prefill(tokens, cache, logits, adapter: null);

    /// <summary>As <see cref="Prefill(ReadOnlySpan{int}, KvCache, Span{float})"/> with <paramref name="adapter"/> (or none) applied.</summary>
    public void Prefill(ReadOnlySpan<int> tokens, KvCache cache, Span<float> logits, LoraAdapter? adapter)
    {
        CheckLength(logits, Config.VocabSize, nameof(logits));
        Append(tokens, cache, logits, allPositions: false, adapter);
    }

    /// <summary>As <see cref="Prefill(ReadOnlySpan{int}, KvCache, Span{float})"/>, writing logits for every position (<c>tokens × VocabSize</c> floats, row-major).</summary>
    public void PrefillAllPositions(ReadOnlySpan<int> tokens, KvCache cache, Span<float> logits, LoraAdapter? adapter = null)
    {
        CheckLength(logits, (long)tokens.Length * Config.VocabSize, nameof(logits));
        Append(tokens, cache, logits, allPositions: true, adapter);
    }

    /// <summary>
    /// One decode step for several sequences: <paramref name="tokens"/>[i] is appended to <paramref name="caches"/>[i]
    /// and its next-token logits go to row i of <paramref name="logits"/> (<c>count × VocabSize</c>). The result is
    /// the same as stepping each sequence alone; the weights are read once per chunk of sequences.
    /// </summary>
    public void DecodeBatch(ReadOnlySpan<int> tokens, ReadOnlySpan<KvCache> caches, Span<float> logits) => DecodeBatch(tokens, caches, [], logits);

    /// <summary>
    /// As <see cref="DecodeBatch(ReadOnlySpan{int}, ReadOnlySpan{KvCache}, Span{float})"/>, sequence i with LoRA adapter
    /// <paramref name="adapters"/>[i] (null: the base model). An empty span means no adapters at all.
    /// </summary>
    public void DecodeBatch(ReadOnlySpan<int> tokens, ReadOnlySpan<KvCache> caches, ReadOnlySpan<LoraAdapter?> adapters, Span<float> logits)
    {
        if (tokens.Length != caches.Length)
        {
            throw new ArgumentException("one token per cache", nameof(caches));
        }

        if (!adapters.IsEmpty && adapters.Length != tokens.Length)
        {
            throw new ArgumentException("one adapter (or null) per sequence", nameof(adapters));
        }

        foreach (LoraAdapter? adapter in adapters)
        {
            CheckAdapter(adapter);
        }

        CheckLength(logits, (long)tokens.Length * Config.VocabSize, nameof(logits));
        lock (_gate)
        {
            for (int i = 0; i < caches.Length; i++)
            {
                CheckCache(caches[i], 1);
                for (int j = 0; j < i; j++)
                {
                    if (ReferenceEquals(caches[i], caches[j]))
                    {
                        throw new ArgumentException("each sequence may appear once in a batch", nameof(caches));
                    }
                }
            }

            fixed (float* output = logits)
            {
                for (int start = 0; start < tokens.Length; start += _chunk)
                {
                    int n = Math.Min(_chunk, tokens.Length - start);
                    for (int r = 0; r < n; r++)
                    {
                        _rowCaches[r] = caches[start + r];
                        _rowPositions[r] = caches[start + r].Count;
                        _rowAdapters[r] = adapters.IsEmpty ? null : adapters[start + r];
                    }

                    ForwardChunk(tokens.Slice(start, n), n, output + ((long)start * Config.VocabSize), allRows: true);
                    for (int r = 0; r < n; r++)
                    {
                        _rowCaches[r].Count++;
                        _rowCaches[r] = null!;
                        _rowAdapters[r] = null;
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _pool.Dispose();
            _weights.Dispose();
            _x.Dispose();
            _xNorm.Dispose();
            _qkv.Dispose();
            _attended.Dispose();
            _gateUp.Dispose();
            _projected.Dispose();
            _linear.Dispose();
            _gemm.Dispose();
            _integerGemm.Dispose();
            _tokenLanes.Dispose();
            _attention.Dispose();
        }
    }

    private static void CheckLength(Span<float> span, long expected, string name)
    {
        if (span.Length != expected)
        {
            throw new ArgumentException($"expected {expected} floats, got {span.Length}", name);
        }
    }

    private void CheckCache(KvCache cache, int adding)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!ReferenceEquals(cache.Config, Config))
        {
            throw new ArgumentException("the cache was created by another model", nameof(cache));
        }

        if (cache.Count + adding > cache.Capacity)
        {
            throw new ArgumentException($"the sequence would reach {cache.Count + adding} positions; the cache holds {cache.Capacity}", nameof(cache));
        }
    }

    private void CheckAdapter(LoraAdapter? adapter)
    {
        if (adapter is not null && !ReferenceEquals(adapter.Config, Config) && adapter.Config != Config)
        {
            throw new ArgumentException($"adapter '{adapter.Name}' was loaded for another model", nameof(adapter));
        }
    }

    private void Append(ReadOnlySpan<int> tokens, KvCache cache, Span<float> logits, bool allPositions, LoraAdapter? adapter)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("no tokens", nameof(tokens));
        }

        CheckAdapter(adapter);

        lock (_gate)
        {
            CheckCache(cache, tokens.Length);
            fixed (float* output = logits)
            {
                for (int start = 0; start < tokens.Length; start += _chunk)
                {
                    int n = Math.Min(_chunk, tokens.Length - start);
                    for (int r = 0; r < n; r++)
                    {
                        _rowCaches[r] = cache;
                        _rowPositions[r] = cache.Count + r;
                        _rowAdapters[r] = adapter;
                    }

                    bool last = start + n == tokens.Length;
                    float* rowsOut = allPositions ? output + ((long)start * Config.VocabSize) : last ? output : null;
                    ForwardChunk(tokens.Slice(start, n), n, rowsOut, allRows: allPositions);
                    cache.Count += n;
                }

                Array.Clear(_rowCaches);
                Array.Clear(_rowAdapters);
            }
        }
    }

    /// <summary>
    /// Runs rows [0, n) through every layer: row r is token <paramref name="tokens"/>[r] at position _rowPositions[r]
    /// of _rowCaches[r]. Writes logits for all rows, or for the last row only, unless <paramref name="logits"/> is null.
    /// </summary>
    private void ForwardChunk(ReadOnlySpan<int> tokens, int n, float* logits, bool allRows)
    {
        LlamaConfig c = Config;
        int hidden = c.HiddenSize;
        int inter = c.IntermediateSize;
        float eps = (float)c.RmsNormEps;
        _attention.Reserve(_rowCaches[0].Capacity);
        _anyAdapter = false;
        for (int r = 0; r < n; r++)
        {
            _anyAdapter |= _rowAdapters[r] is not null;
            if ((uint)tokens[r] >= (uint)c.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[r], $"token id outside the vocabulary (0..{c.VocabSize - 1})");
            }

            _attention.Reserve(_rowCaches[r].Capacity);
            _weights.Embedding.ReadRow(tokens[r], Row(_x, r, hidden));
        }

        for (int l = 0; l < c.Layers; l++)
        {
            LlamaLayer layer = _weights.Layers[l];
            for (int r = 0; r < n; r++)
            {
                RmsNorm.Apply(Row(_x, r, hidden), layer.AttentionNorm, eps, Row(_xNorm, r, hidden));
            }

            fixed (float* bias = layer.QkvBias)
            {
                Linear(layer.Qkv, bias, _xNorm.Pointer, hidden, _qkv.Pointer, _qkvDim, n);
            }

            ApplyAdapters(l, n, LoraTarget.Q, _xNorm, hidden, _qkv, _qkvDim, 0);
            ApplyAdapters(l, n, LoraTarget.K, _xNorm, hidden, _qkv, _qkvDim, _qDim);
            ApplyAdapters(l, n, LoraTarget.V, _xNorm, hidden, _qkv, _qkvDim, _qDim + _kvDim);

            for (int r = 0; r < n; r++)
            {
                Span<float> qkv = Row(_qkv, r, _qkvDim);
                Rope.Angles(_inverseFrequencies, _rowPositions[r], _cos, _sin);
                Rope.Apply(qkv[.._qDim], c.Heads, c.HeadDim, _cos, _sin);
                Rope.Apply(qkv.Slice(_qDim, _kvDim), c.KvHeads, c.HeadDim, _cos, _sin);
                KvCache cache = _rowCaches[r];
                long at = (long)_rowPositions[r] * c.HeadDim;
                for (int h = 0; h < c.KvHeads; h++)
                {
                    qkv.Slice(_qDim + (h * c.HeadDim), c.HeadDim).CopyTo(new Span<float>(cache.Keys(l, h) + at, c.HeadDim));
                    qkv.Slice(_qDim + _kvDim + (h * c.HeadDim), c.HeadDim).CopyTo(new Span<float>(cache.Values(l, h) + at, c.HeadDim));
                }
            }

            _attention.Run(_pool, l, _rowCaches, _rowPositions, n, _qkv.Pointer, _qkvDim, _attended.Pointer, _qDim);
            fixed (float* bias = layer.OutputBias)
            {
                Linear(layer.Output, bias, _attended.Pointer, _qDim, _projected.Pointer, hidden, n);
            }

            ApplyAdapters(l, n, LoraTarget.O, _attended, _qDim, _projected, hidden, 0);

            for (int r = 0; r < n; r++)
            {
                Span<float> x = Row(_x, r, hidden);
                System.Numerics.Tensors.TensorPrimitives.Add(x, Row(_projected, r, hidden), x);
                RmsNorm.Apply(x, layer.MlpNorm, eps, Row(_xNorm, r, hidden));
            }

            Linear(layer.GateUp, null, _xNorm.Pointer, hidden, _gateUp.Pointer, 2 * inter, n);
            ApplyAdapters(l, n, LoraTarget.Gate, _xNorm, hidden, _gateUp, 2 * inter, 0);
            ApplyAdapters(l, n, LoraTarget.Up, _xNorm, hidden, _gateUp, 2 * inter, inter);
            for (int r = 0; r < n; r++)
            {
                Span<float> gateUp = Row(_gateUp, r, 2 * inter);
                SwiGlu.Apply(gateUp[..inter], gateUp[inter..], _sigmoid);
            }

            // Down reads the first `inter` columns of each gate/up row: the SwiGLU result.
            Linear(layer.Down, null, _gateUp.Pointer, 2 * inter, _projected.Pointer, hidden, n);
            ApplyAdapters(l, n, LoraTarget.Down, _gateUp, 2 * inter, _projected, hidden, 0);
            for (int r = 0; r < n; r++)
            {
                Span<float> x = Row(_x, r, hidden);
                System.Numerics.Tensors.TensorPrimitives.Add(x, Row(_projected, r, hidden), x);
            }
        }

        if (logits == null)
        {
            return;
        }

        int first = allRows ? 0 : n - 1;
        for (int r = first; r < n; r++)
        {
            RmsNorm.Apply(Row(_x, r, hidden), _weights.FinalNorm, eps, Row(_xNorm, r, hidden));
        }

        Linear(_weights.LmHead, null, _xNorm.Pointer + ((long)first * hidden), hidden, logits, c.VocabSize, n - first);
    }

    // A prompt chunk or a large batch goes through a register-tiled GEMM (integer for int8/int4 weights, f32 for the
    // rest); a decode batch of a few sequences with int8/int4 weights through the token lanes; one decode step (or a
    // few) stays on the matvec, which streams each weight once at close to the memory bandwidth.
    private void Linear(WeightMatrix w, float* bias, float* x, int xStride, float* y, int yStride, int rows)
    {
        if (rows >= _integerGemmMinRows && IntegerGemmWork.Supports(w))
        {
            _integerGemm.Run(_pool, w, bias, x, xStride, y, yStride, rows);
        }
        else if (rows >= _tokenLaneMinRows && TokenLaneWork.Supports(w))
        {
            _tokenLanes.Run(_pool, w, bias, x, xStride, y, yStride, rows);
        }
        else if (rows >= _gemmMinRows && PrefillGemmWork.IsSupported)
        {
            _gemm.Run(_pool, w, bias, x, xStride, y, yStride, rows);
        }
        else
        {
            _linear.Run(_pool, w, bias, x, xStride, y, yStride, rows);
        }
    }

    private static Span<float> Row(NativeBuffer<float> buffer, int row, int width) => buffer.Slice((long)row * width, width);

    // For each row with an adapter of this projection: y[row, offset..] += scale·B·(A·x[row]). Rows are x/y rows of the
    // given strides; the matrix knows its in/out widths.
    private void ApplyAdapters(int layer, int n, LoraTarget target, NativeBuffer<float> x, int xStride, NativeBuffer<float> y, int yStride, int yOffset)
    {
        if (!_anyAdapter)
        {
            return;
        }

        for (int r = 0; r < n; r++)
        {
            if (_rowAdapters[r]?.For(layer, target) is { } matrix)
            {
                matrix.Apply(x.Slice((long)r * xStride, matrix.In), y.Slice(((long)r * yStride) + yOffset, matrix.Out));
            }
        }
    }
}
