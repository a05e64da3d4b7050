using Nlps.Inference.Engine;
using Nlps.Inference.Kernels;
using Nlps.Inference.Safetensors;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Encoders;

/// <summary>
/// A BERT-family encoder (BERT, XLM-RoBERTa, DPR's BERT) on the CPU. A batch of sequences of mixed lengths runs as one
/// packed matrix of all their tokens, so every linear layer is one GEMM over the whole batch, and attention stays
/// within each sequence (what an attention mask over padding computes, without the padding). Forward passes are
/// serialised; scratch grows to the largest batch seen and is kept.
/// </summary>
public sealed unsafe class EncoderModel : IDisposable
{
    private readonly EncoderWeights _weights;
    private readonly KernelPool _pool;
    private readonly GemmWork _gemm = new();
    private readonly EncoderRowWork _rows = new();
    private readonly EncoderAttentionWork _attention;
    private readonly Lock _gate = new();
    private NativeBuffer<float>? _x;
    private NativeBuffer<float>? _qkv;
    private NativeBuffer<float>? _attended;
    private NativeBuffer<float>? _projected;
    private NativeBuffer<float>? _inner;
    private long _capacityTokens;

    internal EncoderModel(EncoderConfig config, EncoderWeights weights, int threads)
    {
        Config = config;
        _weights = weights;
        _pool = new KernelPool(threads);
        _attention = new EncoderAttentionWork(config, _pool.Participants, config.MaxTokens);
    }

    public EncoderConfig Config { get; }

    /// <summary>Longest sequence (special tokens included) the position embeddings cover.</summary>
    public int MaxTokens => Config.MaxTokens;

    public int Threads => _pool.Participants;

    /// <summary>Bytes of weights held in memory.</summary>
    public long WeightBytes => _weights.ByteSize;

    /// <summary>Floating-point operations of one forward pass over sequences of these lengths (2 per multiply-add).</summary>
    public double Flops(IEnumerable<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        long h = Config.HiddenSize;
        long perToken = 2 * ((4 * h * h) + (2 * h * Config.IntermediateSize));
        return lengths.Sum(n => Config.Layers * ((perToken * n) + (4.0 * n * n * h)));
    }

    /// <summary>Loads config.json and the safetensors weights of <paramref name="folder"/>.</summary>
    public static EncoderModel Load(string folder, CpuEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new CpuEngineOptions();
        EncoderConfig config = EncoderConfig.Load(Path.Combine(folder, "config.json"));
        using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(folder);
        return new EncoderModel(config, EncoderWeights.Load(checkpoint, config), options.EffectiveThreads);
    }

    /// <summary>
    /// The last hidden states of every token of every sequence, concatenated: sequence s's token i is row
    /// (Σ earlier lengths) + i of <paramref name="hidden"/>, which holds Σ lengths × hidden_size floats.
    /// </summary>
    public void Forward(IReadOnlyList<int[]> sequences, Span<float> hidden)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int h = Config.HiddenSize;
        var starts = new int[sequences.Count];
        var lengths = new int[sequences.Count];
        int total = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            int[] ids = sequences[s] ?? throw new ArgumentException($"Sequence {s} is null.", nameof(sequences));
            if (ids.Length == 0 || ids.Length > MaxTokens)
            {
                throw new ArgumentException($"Sequence {s} has {ids.Length} tokens; the encoder takes 1 to {MaxTokens}.", nameof(sequences));
            }

            foreach (int id in ids)
            {
                if ((uint)id >= (uint)Config.VocabSize)
                {
                    throw new ArgumentOutOfRangeException(nameof(sequences), id, $"Token id outside the vocabulary (0..{Config.VocabSize - 1}).");
                }
            }

            starts[s] = total;
            lengths[s] = ids.Length;
            total += ids.Length;
        }

        if (hidden.Length != (long)total * h)
        {
            throw new ArgumentException($"The output holds {hidden.Length} floats; {total} tokens × {h} need {(long)total * h}.", nameof(hidden));
        }

        lock (_gate)
        {
            EnsureCapacity(total);
            Embed(sequences, starts);
            foreach (EncoderLayer layer in _weights.Layers)
            {
                RunLayer(layer, total, starts, lengths);
            }

            new ReadOnlySpan<float>(_x!.Pointer, total * h).CopyTo(hidden);
        }
    }

    public void Dispose()
    {
        _weights.Dispose();
        _pool.Dispose();
        _attention.Dispose();
        FreeScratch();
    }

    private void Embed(IReadOnlyList<int[]> sequences, int[] starts)
    {
        int h = Config.HiddenSize;
        float eps = (float)Config.LayerNormEps;
        var (weight, bias) = _weights.EmbeddingNorm;
        for (int s = 0; s < sequences.Count; s++)
        {
            int[] ids = sequences[s];
            for (int i = 0; i < ids.Length; i++)
            {
                float* row = _x!.Pointer + ((long)(starts[s] + i) * h);
                var x = new Span<float>(row, h);
                _weights.Words.ReadRow(ids[i], x);
                if (Config.EmbeddingScale != 1f)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(x, Config.EmbeddingScale, x);
                }

                AddRow(_weights.Positions, Config.PositionOffset + i, x);
                System.Numerics.Tensors.TensorPrimitives.Add(x, _weights.TokenType, x);
                LayerNorm.Apply(row, h, weight, bias, eps);
            }
        }
    }

    private static void AddRow(WeightMatrix matrix, int row, Span<float> x) =>
        System.Numerics.Tensors.TensorPrimitives.Add(x, new ReadOnlySpan<float>(matrix.F32 + ((long)row * matrix.Cols), matrix.Cols), x);

    private void RunLayer(EncoderLayer layer, int total, int[] starts, int[] lengths)
    {
        int h = Config.HiddenSize;
        int inner = Config.IntermediateSize;
        float eps = (float)Config.LayerNormEps;
        float* x = _x!.Pointer;
        float* projected = _projected!.Pointer;
        _gemm.Run(_pool, layer.Qkv, x, h, _qkv!.Pointer, 3 * h, total);
        _attention.Run(_pool, _qkv.Pointer, _attended!.Pointer, starts, lengths);
        _gemm.Run(_pool, layer.Output, _attended.Pointer, h, projected, h, total);
        _rows.AddLayerNorm(_pool, x, projected, total, h, layer.AttentionNorm, eps);
        _gemm.Run(_pool, layer.Up, x, h, _inner!.Pointer, inner, total);
        _rows.Gelu(_pool, _inner.Pointer, total, inner);
        _gemm.Run(_pool, layer.Down, _inner.Pointer, inner, projected, h, total);
        _rows.AddLayerNorm(_pool, x, projected, total, h, layer.OutputNorm, eps);
    }

    private void EnsureCapacity(int tokens)
    {
        if (tokens <= _capacityTokens)
        {
            return;
        }

        FreeScratch();
        long h = Config.HiddenSize;
        _x = new NativeBuffer<float>(tokens * h);
        _qkv = new NativeBuffer<float>(tokens * 3 * h);
        _attended = new NativeBuffer<float>(tokens * h);
        _projected = new NativeBuffer<float>(tokens * h);
        _inner = new NativeBuffer<float>((long)tokens * Config.IntermediateSize);
        _capacityTokens = tokens;
    }

    private void FreeScratch()
    {
        _x?.Dispose();
        _qkv?.Dispose();
        _attended?.Dispose();
        _projected?.Dispose();
        _inner?.Dispose();
        _capacityTokens = 0;
    }
}
